import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../src/runtime/gateway/server/server.js'
import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

const TOKEN = 'e2e-status-token'
const logger = {debug() {}, info() {}, warn() {}, error() {}}

let t: TempHome
let server: GatewayServer

async function closedPort(): Promise<number> {
  const probe = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'x'}, version: '0', logger})
  await probe.close({drainMs: 10})
  return probe.port
}

beforeAll(async () => {
  server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger})
})
afterAll(async () => {
  await server.close({drainMs: 100})
})
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

function writeState(config: Record<string, unknown>, sessions: Record<string, Record<string, unknown>> = {}): void {
  mkdirSync(t.stateDir, {recursive: true})
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify(config))
  for (const [agentId, entries] of Object.entries(sessions)) {
    const dir = path.join(t.stateDir, 'agents', agentId, 'sessions')
    mkdirSync(dir, {recursive: true})
    writeFileSync(path.join(dir, 'sessions.json'), JSON.stringify(entries))
  }
}

describe('openclaw status (real binary)', () => {
  it('--json with no gateway: exit 0, gateway.reachable false, local facts filled in', async () => {
    const port = await closedPort()
    writeState({logging: {file: path.join(t.home, 'gw.log')}, agents: {list: [{id: 'home', name: 'Home'}, {id: 'work'}]}}, {
      home: {'agent:home:main': {sessionId: 'a', updatedAt: 2000}, 'agent:home:telegram:direct:1': {sessionId: 'b', updatedAt: 3000}},
    })
    const r = await runCli(['status', '--json', '--port', String(port)], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, result: {
      profile: 'default',
      paths: {stateDir: t.stateDir, configPath: path.join(t.stateDir, 'openclaw.json'), logFile: path.join(t.home, 'gw.log')},
      config: {exists: true, valid: true, issues: []},
      service: {manager: null, installed: false},
      gateway: {url: `ws://127.0.0.1:${port}`, reachable: false, error: {code: 'GATEWAY_UNREACHABLE'}},
      agents: {defaultId: 'home', list: [{id: 'home', name: 'Home', sessions: 2}, {id: 'work', name: null, sessions: 0}]},
      sessions: {count: 2, recent: [{agentId: 'home', key: 'agent:home:telegram:direct:1', updatedAt: 3000}, {agentId: 'home', key: 'agent:home:main', updatedAt: 2000}]},
      collection: {source: 'local'},
    }})
    expect(r.json.result.service).toMatchObject({installed: false, name: null, active: null})
    expect(r.json.result).not.toHaveProperty('checks')
  })

  it('human output names the gateway state and exits 0', async () => {
    const port = await closedPort()
    const r = await runCli(['status', '--port', String(port)], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Gateway ws://127.0.0.1:${port} (local): not reachable: gateway not reachable at ws://127.0.0.1:${port}: connection refused`)
    expect(r.stdout).toContain('Agents: main (default), 0 sessions')
  })

  it('--deep --json against a running gateway: exit 0, every probe passes', async () => {
    const r = await runCli(['status', '--deep', '--json', '--port', String(server.port), '--token', TOKEN], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({
      gateway: {url: `ws://127.0.0.1:${server.port}`, reachable: true, version: '9.9.9', protocol: 4, ready: true, failing: [], error: null},
      collection: {source: 'gateway'},
    })
    expect(r.json.result.checks).toEqual([
      {id: 'gateway.health', status: 'pass', message: expect.stringMatching(/^healthy/)},
      {id: 'gateway.ready', status: 'pass', message: 'ready'},
      {id: 'gateway.port', status: 'pass', message: `port ${server.port} serves the gateway`},
      {id: 'config.valid', status: 'pass', message: 'no config file; defaults apply'},
      {id: 'service.unit', status: 'skip', message: expect.any(String)},
    ])
  })

  it('--deep with no gateway: exit 3 CHECKS_FAILED with the full report in result', async () => {
    const r = await runCli(['status', '--deep', '--json', '--port', String(await closedPort())], {env: t.env})
    expect(r.code).toBe(3)
    expect(r.json).toMatchObject({ok: false, error: {code: 'CHECKS_FAILED', exitCode: 3, message: 'status checks failed: gateway.health'}, result: {gateway: {reachable: false}, checks: expect.any(Array)}})
  })

  it('--deep with no gateway, human: the report on stdout, the failure and its fix on stderr, exit 3', async () => {
    const r = await runCli(['status', '--deep', '--port', String(await closedPort())], {env: t.env})
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/gateway\.health/)
    expect(r.stderr).toMatch(/^Error \(CHECKS_FAILED\): status checks failed: gateway\.health\nTry this:\n {2}\* Start the gateway: openclaw gateway run/m)
  })
})
