import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {checksFailed, deepChecks, type StatusCheck} from '../../../src/runtime/status/checks.js'
import {collectStatus, type StatusOptions} from '../../../src/runtime/status/collect-status.js'
import type {GatewayProbeResult} from '../../../src/runtime/status/gateway-probe.js'
import {configSecretValues} from '../../../src/runtime/config/secret-values.js'
import {resolvePaths} from '../../../src/runtime/paths.js'

const logger = {debug() {}, info() {}, warn() {}, error() {}}
const TOKEN = 'status-token-1234'

let root: string
const servers: GatewayServer[] = []
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-status-'))
})
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({drainMs: 50})
  rmSync(root, {recursive: true, force: true})
})

function writeConfig(tree: Record<string, unknown> | string): void {
  mkdirSync(path.join(root, '.openclaw'), {recursive: true})
  writeFileSync(path.join(root, '.openclaw', 'openclaw.json'), typeof tree === 'string' ? tree : JSON.stringify(tree))
}

function options(extra: Partial<StatusOptions> = {}): StatusOptions {
  const env = {HOME: root}
  return {paths: resolvePaths({env, cwd: root}), env, flags: {}, timeoutMs: 3000, clientInfo: {version: '1.2.3'}, ...extra}
}

async function gateway(): Promise<GatewayServer> {
  const server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger})
  servers.push(server)
  return server
}

async function closedPort(): Promise<number> {
  const server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'x'}, version: '0', logger})
  await server.close({drainMs: 10})
  return server.port
}

const probe = (over: Partial<GatewayProbeResult['gateway']>, rest: Partial<GatewayProbeResult> = {}): GatewayProbeResult => ({
  gateway: {url: 'ws://127.0.0.1:18789', mode: 'local', reachable: true, latencyMs: 3, version: '1', protocol: 3, ready: true, failing: [], error: null, ...over},
  health: {ok: true, channels: {}},
  readyError: null,
  failure: null,
  ...rest,
})
const status = (checks: StatusCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]))
const validConfig = {exists: true, valid: true, issues: []}

describe('deepChecks (operations.md §8)', () => {
  it.each<[string, GatewayProbeResult, number | null, Record<string, string>, boolean]>([
    ['all good', probe({}), 18789, {'gateway.health': 'pass', 'gateway.ready': 'pass', 'gateway.port': 'pass', 'config.valid': 'pass', 'service.unit': 'skip'}, false],
    ['not running, port free', probe({reachable: false, ready: null, error: {code: 'GATEWAY_UNREACHABLE', message: 'refused'}}, {health: null, failure: {code: 'GATEWAY_UNREACHABLE', details: {errno: 'ECONNREFUSED'}}}), 18789,
      {'gateway.health': 'fail', 'gateway.ready': 'skip', 'gateway.port': 'pass', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
    ['another program on the port', probe({reachable: false, error: {code: 'GATEWAY_PROTOCOL', message: 'HTTP 404'}}, {health: null, failure: {code: 'GATEWAY_PROTOCOL', details: {httpStatus: 404}}}), 18789,
      {'gateway.health': 'fail', 'gateway.ready': 'skip', 'gateway.port': 'fail', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
    ['not ready', probe({ready: false, failing: ['channel:telegram:work']}), 18789, {'gateway.health': 'pass', 'gateway.ready': 'fail', 'gateway.port': 'pass', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
    ['readiness unreadable', probe({ready: null}, {readyError: 'HTTP 500'}), null, {'gateway.health': 'pass', 'gateway.ready': 'fail', 'gateway.port': 'skip', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
    ['a channel account down', probe({}, {health: {ok: true, channels: {telegram: {configured: true, accounts: {work: {running: false}}}}}}), 18789,
      {'gateway.health': 'fail', 'gateway.ready': 'pass', 'gateway.port': 'pass', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
    ['auth refused: reachable, no health', probe({error: {code: 'GATEWAY_AUTH_FAILED', message: 'unauthorized'}}, {health: null, failure: {code: 'GATEWAY_AUTH_FAILED', details: {}}}), 18789,
      {'gateway.health': 'fail', 'gateway.ready': 'pass', 'gateway.port': 'pass', 'config.valid': 'pass', 'service.unit': 'skip'}, true],
  ])('%s', (_name, result, port, expected, failed) => {
    const checks = deepChecks({config: validConfig, probe: result, loopbackPort: port})
    expect(status(checks)).toEqual(expected)
    expect(checksFailed(checks)).toBe(failed)
  })

  it('an invalid config fails; a missing one passes', () => {
    expect(status(deepChecks({config: {exists: true, valid: false, issues: [{}]}, probe: probe({}), loopbackPort: null}))['config.valid']).toBe('fail')
    expect(status(deepChecks({config: {exists: false, valid: true, issues: []}, probe: probe({}), loopbackPort: null}))['config.valid']).toBe('pass')
  })
})

describe('collectStatus', () => {
  it('without a gateway: a complete local report, gateway unreachable, no checks', async () => {
    const port = await closedPort()
    const {report} = await collectStatus(options({flags: {port}}))
    expect(report).toMatchObject({
      version: '1.2.3', node: process.version, os: {platform: process.platform, arch: process.arch}, profile: 'default',
      paths: {stateDir: path.join(root, '.openclaw'), configPath: path.join(root, '.openclaw', 'openclaw.json')},
      config: {exists: false, valid: true, issues: []},
      service: {installed: false, name: null},
      gateway: {url: `ws://127.0.0.1:${port}`, mode: 'local', reachable: false, error: {code: 'GATEWAY_UNREACHABLE'}},
      agents: {defaultId: 'main', list: [{id: 'main', name: null, sessions: 0}]},
      channels: [], sessions: {count: 0, recent: []},
      collection: {source: 'local', notCollected: expect.not.arrayContaining([expect.stringMatching(/^service: /)])},
    })
    expect(report.checks).toBeUndefined()
  })

  it('with a gateway and --deep: enriched by the gateway, every check passes', async () => {
    const server = await gateway()
    const {report} = await collectStatus(options({flags: {port: server.port, token: TOKEN}, deep: true, verbose: true}))
    expect(report.gateway).toMatchObject({url: `ws://127.0.0.1:${server.port}`, reachable: true, version: '9.9.9', protocol: 4, ready: true, failing: [], error: null, pid: null})
    expect(report.collection.source).toBe('gateway')
    expect(checksFailed(report.checks ?? [])).toBe(false)
    expect(report.checks?.map((c) => c.id)).toEqual(['gateway.health', 'gateway.ready', 'gateway.port', 'config.valid', 'service.unit'])
  })

  it('an invalid config is reported, not thrown', async () => {
    writeConfig({gateway: {port: 'nope'}})
    const {report} = await collectStatus(options({flags: {port: await closedPort()}}))
    expect(report.config).toMatchObject({exists: true, valid: false, issues: [expect.objectContaining({path: 'gateway.port'})]})
  })

  it('a bad OPENCLAW_GATEWAY_URL lands in gateway.error', async () => {
    const env = {HOME: root, OPENCLAW_GATEWAY_URL: 'http://nope'}
    const {report} = await collectStatus({...options(), env})
    expect(report.gateway).toMatchObject({url: null, reachable: false, error: {code: 'ENV_INVALID'}})
  })

  it('--all adds the last warn+ log lines, redacted', async () => {
    const logFile = path.join(root, 'gw.log')
    writeConfig({logging: {file: logFile}, gateway: {auth: {token: TOKEN}}})
    const line = (level: string, message: string) => JSON.stringify({time: '2026-05-01T10:15:00.123+02:00', level, subsystem: 'gateway', message, pid: 1})
    const lines = [line('info', 'fine'), ...Array.from({length: 25}, (_, i) => line(i % 2 ? 'warn' : 'error', `problem ${i} token ${TOKEN}`))]
    writeFileSync(logFile, lines.join('\n') + '\n')
    const {report} = await collectStatus(options({flags: {port: await closedPort()}, all: true}))
    expect(report.logTail?.file).toBe(logFile)
    expect(report.logTail?.lines).toHaveLength(20)
    expect(report.logTail?.lines[0].message).toBe('problem 5 token [redacted]')
    expect(JSON.stringify(report)).not.toContain(TOKEN)
    expect(report.checks).toBeDefined()
  })
})

describe('configSecretValues', () => {
  it('finds schema secrets and channel/provider key names', () => {
    expect(configSecretValues({gateway: {auth: {token: 'g-tok'}, port: 1}, channels: {telegram: {botToken: 'bot-tok', name: 'x'}}, agents: {list: [{id: 'token'}]}}).sort()).toEqual(['bot-tok', 'g-tok'])
  })
})
