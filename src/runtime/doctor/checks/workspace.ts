import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../../config/deep-merge.js'
import {resolveStatePath, tildify} from '../../paths.js'
import {BOOTSTRAP_FILES, ensureAgentHome} from '../../agents/workspace-bootstrap.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'

const FILE_CAP = 20_000

/** The default agent's workspace: `agents.defaults.workspace`, OPENCLAW_WORKSPACE_DIR, else `<state>/workspace`. */
export function defaultWorkspace(ctx: DoctorContext): string {
  const authored = ctx.config().authored
  const defaults = isPlainObject(authored?.agents) && isPlainObject(authored.agents.defaults) ? authored.agents.defaults : {}
  if (typeof defaults.workspace === 'string' && !defaults.workspace.includes('${')) return resolveStatePath(defaults.workspace, ctx.paths)
  return ctx.paths.workspaceDir ?? path.join(ctx.paths.stateDir, 'workspace')
}

export const workspaceCheck: DoctorCheck = {
  id: 'workspace',
  title: 'Agent workspace',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    if (!ctx.config().exists) return {status: 'skip', message: 'skipped: no config file (openclaw onboard creates the workspace)'}
    const dir = defaultWorkspace(ctx)
    const shown = tildify(dir, ctx.paths.home)
    if (!existsSync(dir)) {
      return {
        status: 'warn',
        message: `workspace ${shown} does not exist`,
        fix: {summary: `create it with the bootstrap files`, safe: true, command: ctx.fixCommand()},
        repair: () => {
          const agentHome = path.join(ctx.paths.stateDir, 'agents', ctx.defaultAgentId())
          const written = ensureAgentHome({workspace: dir, agentDir: path.join(agentHome, 'agent'), sessionsDir: path.join(agentHome, 'sessions')})
          ctx.backup.record({check: 'workspace', action: 'create', path: dir})
          return {actions: [`created ${shown} with its bootstrap files`], files: written}
        },
      }
    }
    const large = BOOTSTRAP_FILES.filter((name) => {
      const file = path.join(dir, name)
      return existsSync(file) && statSync(file).size > FILE_CAP && readFileSync(file, 'utf8').length > FILE_CAP
    })
    if (large.length > 0) return {status: 'warn', message: `over ${FILE_CAP} characters (cut when sent to the model): ${large.join(', ')}`, fix: {summary: 'shorten them', safe: false}}
    return {status: 'pass', message: shown}
  },
}
