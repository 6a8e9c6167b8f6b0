import {readFileSync} from 'node:fs'
import path from 'node:path'

import {fillTemplate} from './render-template.js'
import type {ServiceSpec} from './service-spec.js'
import {refuseLineBreaks} from './systemd-escape.js'

/** Reads `templates/launchd/ai.openclaw.gateway.plist` from the package root. */
export function loadPlistTemplate(packageRoot: string): string {
  return readFileSync(path.join(packageRoot, 'templates', 'launchd', 'ai.openclaw.gateway.plist'), 'utf8')
}

/** Renders the LaunchAgent plist (operations.md §4.6). Pure and byte-stable for equal inputs. */
export function renderLaunchdPlist(template: string, input: {spec: ServiceSpec; label: string}): string {
  const {spec, label} = input
  const logs = path.join(spec.stateDir, 'logs')
  const str = (what: string, value: string) => {
    refuseLineBreaks(what, value)
    return `<string>${xmlEscape(value)}</string>`
  }
  return fillTemplate(template, {
    plistName: xmlEscape(`${label}.plist`).replace(/--/g, '-&#45;'),
    label: xmlEscape(label),
    programArguments: spec.argv.map((arg) => `    ${str('a program argument', arg)}`),
    environmentVariables: spec.env.flatMap(([key, value]) => [`    <key>${xmlEscape(key)}</key>`, `    ${str(`the environment variable ${key}`, value)}`]),
    workingDirectory: xmlEscape(spec.stateDir),
    stdoutPath: xmlEscape(path.join(logs, 'gateway.log')),
    stderrPath: xmlEscape(path.join(logs, 'gateway.err.log')),
  })
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
