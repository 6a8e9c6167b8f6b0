import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {binPath, runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, waitForNoHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {until} from '../helpers/until.js'

const TOKEN = 'follow-e2e-token'
let home: GatewayHome | undefined
let gateway: GatewayProcess | undefined
const cleanups: Array<() => void> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  gateway?.kill()
  if (gateway !== undefined) await gateway.exited
  gateway = undefined
  home?.cleanup()
  home = undefined
})

describe('issue 9 item 12: logs --follow follows a port change; SIGHUP re-reads <state>/.env', () => {
  it('logs --follow re-resolves the target from the config after the gateway moved to a new port', async () => {
    const [first, second] = [await freePort(), await freePort()]
    const gatewayConfig = {mode: 'local', auth: {token: TOKEN}, reload: {debounceMs: 50}}
    home = makeGatewayHome({gateway: {...gatewayConfig, port: first}})
    gateway = spawnGateway(['gateway'], home.env)
    await waitForHealth(first, {proc: gateway})
    await gateway.waitForStderr(/ready in/)

    const follow = spawn(process.execPath, [binPath, 'logs', '--follow', '--json', '--interval', '50'], {env: home.env, cwd: home.home, stdio: ['ignore', 'pipe', 'pipe']})
    cleanups.push(() => follow.kill('SIGKILL'))
    let stdout = ''
    follow.stdout.on('data', (d) => (stdout += d))
    await until(() => stdout.includes('"type":"meta"'), () => `the meta line; got ${stdout}`, 15_000)

    home.writeConfig({gateway: {...gatewayConfig, port: second}})
    await waitForHealth(second, {proc: gateway, timeoutMs: 15_000})
    await waitForNoHealth(first)
    // A line logged only after the move: the follow must be reading from the new port.
    await until(() => stdout.includes('"reconnected to the gateway"'), () => `a reconnect; got ${stdout}`, 15_000)
    gateway.child.kill('SIGHUP')
    await until(() => stdout.includes('received SIGHUP'), () => `the SIGHUP line in the follow; got ${stdout}`, 15_000)
    expect(follow.exitCode).toBeNull()
  }, 30_000)

  it('SIGHUP re-reads <state>/.env, logs which variables changed (not their values), and the gateway uses the new value', async () => {
    const port = await freePort()
    home = makeGatewayHome({gateway: {mode: 'local', port, auth: {token: '${GW_TOKEN}'}, reload: {debounceMs: 50}}})
    const dotenv = path.join(home.stateDir, '.env')
    writeFileSync(dotenv, 'GW_TOKEN=old-token-value\n', {mode: 0o600})
    gateway = spawnGateway(['gateway'], home.env)
    await waitForHealth(port, {proc: gateway})
    await gateway.waitForStderr(/ready in/)
    const health = (token: string) => runCli(['health', '--url', `ws://127.0.0.1:${port}`, '--token', token, '--json'], {env: home!.env})
    expect((await health('old-token-value')).code).toBe(0)

    writeFileSync(dotenv, 'GW_TOKEN=new-token-value\nEXTRA_VAR=1\n', {mode: 0o600})
    gateway.child.kill('SIGHUP')
    await gateway.waitForStderr('re-read ~/.openclaw/.env: changed GW_TOKEN; added EXTRA_VAR', 10_000)
    await gateway.waitForStderr(/config reloaded \(.*gateway\.auth\.token/, 10_000)
    // An auth change restarts the listener in process (same port): wait until it is back.
    if (/restart: [^)]*gateway\.auth\.token/.test(gateway.stderr())) await gateway.waitForStderr('restart complete', 10_000)
    expect(gateway.stderr()).not.toContain('new-token-value')
    expect((await health('new-token-value')).code).toBe(0)
    expect((await health('old-token-value')).code).not.toBe(0)
  }, 30_000)
})
