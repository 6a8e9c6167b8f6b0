import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let home: TempHome
afterEach(() => home?.cleanup())

function withConfig(text: string): NodeJS.ProcessEnv {
  home = makeTempHome()
  mkdirSync(home.stateDir, {recursive: true, mode: 0o700})
  writeFileSync(path.join(home.stateDir, 'openclaw.json'), text, {mode: 0o600})
  return {...home.env, OPENCLAW_GATEWAY_PORT: '1'}
}

describe('dashboard', () => {
  it('puts the url-encoded token in the fragment and says the gateway is down', async () => {
    const env = withConfig('{gateway: {mode: "local", auth: {token: "a b/c"}, controlUi: {basePath: "/ui"}}}')
    const r = await runCli(['dashboard', '--json'], {env})
    expect(r.json).toEqual({ok: true, result: {url: 'http://127.0.0.1:1/ui#token=a%20b%2Fc', authMode: 'token', tokenIncluded: true, reachable: false}, warnings: ["The gateway isn't running; start it: openclaw gateway start"]})
    const human = await runCli(['dashboard', '--no-open'], {env})
    expect(human.code).toBe(0)
    expect(human.stdout).toBe('Dashboard: http://127.0.0.1:1/ui#token=a%20b%2Fc\n')
  })
  it('password mode: no secret in the URL, a note instead', async () => {
    const env = withConfig('{gateway: {auth: {mode: "password", password: "pw"}}}')
    const r = await runCli(['dashboard', '--no-open'], {env})
    expect(r.stdout).toBe('Dashboard: http://127.0.0.1:1/\nEnter the gateway password in the dashboard.\n')
  })
  it('a disabled Control UI is exit 1 with the fix', async () => {
    const env = withConfig('{gateway: {controlUi: {enabled: false}}}')
    const r = await runCli(['dashboard'], {env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (DASHBOARD_DISABLED)')
    expect(r.stderr).toContain('openclaw config set gateway.controlUi.enabled true')
  })
})
