import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../src/runtime/gateway/server/server.js'
import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

const TOKEN = 'e2e-token'
const logger = {debug() {}, info() {}, warn() {}, error() {}}

let server: GatewayServer
let url: string
let t: TempHome

beforeAll(async () => {
  server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger})
  url = `ws://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close({drainMs: 100})
})
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'x'}, version: '0', logger})
  const port = probe.port
  await probe.close({drainMs: 10})
  return port
}

describe('gateway call (real binary, real server)', () => {
  it('--url --token --json prints the bare health payload', async () => {
    const r = await runCli(['gateway', 'call', 'health', '--url', url, '--token', TOKEN, '--json'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, defaultAgentId: 'main', channelOrder: [], sessions: {count: 0}})
    expect(r.json).not.toHaveProperty('result')
  })

  it('prints the payload as 2-space JSON for humans, reaching the loopback port', async () => {
    const r = await runCli(['gateway', 'call', 'status', '--port', String(server.port), '--token', TOKEN], {env: t.env})
    expect(r.code).toBe(0)
    const payload = JSON.parse(r.stdout)
    expect(payload).toMatchObject({version: '9.9.9', gateway: {port: server.port}})
    expect(r.stdout).toBe(JSON.stringify(payload, null, 2) + '\n')
  })

  it('takes the token and port from the environment', async () => {
    const r = await runCli(['gateway', 'call', 'status', '--json'], {env: {...t.env, OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_GATEWAY_PORT: String(server.port)}})
    expect(r.code).toBe(0)
    expect(r.json.version).toBe('9.9.9')
  })

  it('refuses --url without explicit credentials (exit 2), even with a token in the env', async () => {
    const r = await runCli(['gateway', 'call', 'health', '--url', url, '--json'], {env: {...t.env, OPENCLAW_GATEWAY_TOKEN: TOKEN}})
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ok: false, error: {code: 'USAGE', message: 'gateway url override requires explicit credentials', exitCode: 2}})
  })

  it('reports a wrong token as GATEWAY_AUTH_FAILED (exit 1) with the fix', async () => {
    const r = await runCli(['gateway', 'call', 'health', '--url', url, '--token', 'wrong'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("Error (GATEWAY_AUTH_FAILED): unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)")
    // Which token the CLI used and its fingerprint, to compare with the gateway's startup line; never the token.
    expect(r.stderr).toContain('  * The CLI sent the token from --token (sha256:8810ad58)\n')
    expect(r.stderr).toContain('openclaw logs --local')
    expect(r.stderr).not.toContain('wrong')
    expect(r.stdout).toBe('')
  })

  it('reports nothing listening as GATEWAY_UNREACHABLE in the envelope', async () => {
    const port = await closedPort()
    const r = await runCli(['gateway', 'call', 'health', '--port', String(port), '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({
      ok: false,
      error: {type: 'gateway_transport_error', code: 'GATEWAY_UNREACHABLE', message: `gateway not reachable at ws://127.0.0.1:${port}: connection refused`, hint: ['Start it: openclaw gateway start (or run it here: openclaw gateway run)'], exitCode: 1},
    })
  })

  it('reports an error answer as GATEWAY_REQUEST_FAILED with the gateway error in details', async () => {
    const r = await runCli(['gateway', 'call', 'no.such.method', '--url', url, '--token', TOKEN, '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {type: 'cli_error', code: 'GATEWAY_REQUEST_FAILED', message: 'unknown method: no.such.method', details: {code: 'INVALID_REQUEST'}}})
  })

  it('rejects --params that are not JSON5 (exit 2)', async () => {
    const r = await runCli(['gateway', 'call', 'status', '--params', '{nope', '--port', String(server.port), '--token', TOKEN, '--json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('USAGE')
  })

  it('still works with an invalid config, using its well-typed parts', async () => {
    mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
    writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify({gateway: {port: server.port, auth: {token: TOKEN}}, bogusKey: true}), {mode: 0o600})
    const r = await runCli(['gateway', 'call', 'status'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/Config is invalid \(\d+ issues?\); see: openclaw config validate/)
    expect(JSON.parse(r.stdout).gateway.port).toBe(server.port)
  })
})

describe('health (real binary, real server)', () => {
  const env = () => ({...t.env, OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_GATEWAY_PORT: String(server.port)})

  it('health --json: snapshot plus url, latency, version, uptime and readiness; exit 0', async () => {
    const r = await runCli(['health', '--json'], {env: env()})
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, result: {ok: true, defaultAgentId: 'main', url, serverVersion: '9.9.9', ready: true, failing: []}})
    expect(typeof r.json.result.latencyMs).toBe('number')
    expect(typeof r.json.result.uptimeMs).toBe('number')
  })

  it('health prints the summary line for humans', async () => {
    const r = await runCli(['health'], {env: env()})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^Gateway ${url}: ok in \\d+ ms, openclaw 9\\.9\\.9, up \\d+s, ready\\n`))
  })

  it('exits 3 with CHECKS_FAILED and the report when a component fails', async () => {
    server.markFailing('channel:telegram:work', true)
    try {
      const r = await runCli(['health', '--json'], {env: env()})
      expect(r.code).toBe(3)
      expect(r.json).toMatchObject({ok: false, error: {code: 'CHECKS_FAILED', exitCode: 3}, result: {ready: false, failing: ['channel:telegram:work']}})
    } finally {
      server.markFailing('channel:telegram:work', false)
    }
  })

  it('exits 1 when the gateway is unreachable', async () => {
    const port = await closedPort()
    const r = await runCli(['health', '--json'], {env: {...t.env, OPENCLAW_GATEWAY_PORT: String(port)}})
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('GATEWAY_UNREACHABLE')
  })

  it('gateway health --json returns the raw snapshot', async () => {
    const r = await runCli(['gateway', 'health', '--json'], {env: env()})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({ok: true, defaultAgentId: 'main'})
    expect(r.json.result).not.toHaveProperty('url')
  })

  it('gateway probe: exit 0 when the loopback gateway answers, 1 when nothing does', async () => {
    const up = await runCli(['gateway', 'probe', '--json'], {env: env()})
    expect(up.code).toBe(0)
    expect(up.json.result.targets).toEqual([expect.objectContaining({kind: 'loopback', url, reachable: true, authOk: true, protocol: 4, serverVersion: '9.9.9', error: null})])
    const port = await closedPort()
    const down = await runCli(['gateway', 'probe', '--json'], {env: {...t.env, OPENCLAW_GATEWAY_PORT: String(port)}})
    expect(down.code).toBe(1)
    expect(down.json).toMatchObject({ok: false, error: {code: 'GATEWAY_UNREACHABLE'}, result: {targets: [expect.objectContaining({reachable: false})]}})
  })
})
