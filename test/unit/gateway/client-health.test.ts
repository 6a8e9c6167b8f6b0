import {afterEach, describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {buildCallParams} from '../../../src/runtime/gateway/client/call-params.js'
import {callGateway} from '../../../src/runtime/gateway/client/client.js'
import {checkGatewayHealth, healthProblems, probeGateways, snapshotProblems, type HealthReport} from '../../../src/runtime/gateway/client/health.js'
import {fetchReadiness} from '../../../src/runtime/gateway/client/probe.js'
import {startGatewayServer, type GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {formatDuration, renderHealth, renderProbe} from '../../../src/ui/render-health.js'

const logger = {debug() {}, info() {}, warn() {}, error() {}}
const clientInfo = {version: '0.1.0'}
const servers: GatewayServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({drainMs: 100})
})

async function realGateway(options: Partial<Parameters<typeof startGatewayServer>[0]> = {}): Promise<{server: GatewayServer; url: string}> {
  const server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'secret-t'}, version: '9.9.9', logger, ...options})
  servers.push(server)
  return {server, url: `ws://127.0.0.1:${server.port}`}
}

describe('against the real gateway server', () => {
  it('health: snapshot + url, latency, server version, uptime and readiness', async () => {
    const {url} = await realGateway()
    const report = await checkGatewayHealth({target: {url, token: 'secret-t'}, timeoutMs: 5000, clientInfo})
    expect(report).toMatchObject({ok: true, defaultAgentId: 'main', url, serverVersion: '9.9.9', ready: true, failing: []})
    expect(report.latencyMs).toBeGreaterThanOrEqual(0)
    expect(typeof report.uptimeMs).toBe('number')
    expect(healthProblems(report)).toEqual([])
  })

  it('health: a failing component makes it not ready', async () => {
    const {server, url} = await realGateway()
    server.markFailing('channel:telegram:work', true)
    const report = await checkGatewayHealth({target: {url, token: 'secret-t'}, timeoutMs: 5000, clientInfo})
    expect(report.ready).toBe(false)
    expect(report.failing).toEqual(['channel:telegram:work'])
    expect(healthProblems(report)).toEqual(['channel:telegram:work'])
  })

  it('waits for a starting gateway within the budget', async () => {
    const {server, url} = await realGateway({phase: 'starting', failing: ['startup']})
    setTimeout(() => server.setReady(), 300)
    const result = await callGateway({url, token: 'secret-t', timeoutMs: 5000, clientInfo, method: 'status'})
    expect(result.payload).toMatchObject({version: '9.9.9'})
  })

  it('GET /ready sends the secret as a bearer token', async () => {
    const {url} = await realGateway()
    expect(await fetchReadiness({url, token: 'secret-t'}, 2000)).toMatchObject({ready: true, failing: []})
  })

  it('probe: reachable with auth, reachable but refused, and not reachable', async () => {
    const {url} = await realGateway()
    const closed = await realGateway()
    await closed.server.close({drainMs: 50})
    const results = await probeGateways(
      [
        {kind: 'loopback', url, token: 'secret-t'},
        {kind: 'url', url: url + '/', token: 'wrong'},
        {kind: 'remote', url: closed.url, token: 'secret-t'},
      ],
      {timeoutMs: 3000, clientInfo},
    )
    expect(results[0]).toMatchObject({kind: 'loopback', reachable: true, authOk: true, protocol: 4, serverVersion: '9.9.9', error: null})
    expect(results[1]).toMatchObject({kind: 'url', reachable: true, authOk: false, error: {code: 'GATEWAY_AUTH_FAILED'}})
    expect(results[2]).toMatchObject({kind: 'remote', reachable: false, authOk: null, latencyMs: null, error: {code: 'GATEWAY_UNREACHABLE'}})
    expect(renderProbe(results)[0]).toMatch(/^loopback ws:\/\/127\.0\.0\.1:\d+: reachable in \d+ ms, protocol 4, openclaw 9\.9\.9, auth ok$/)
  })
})

const report = (overrides: Partial<HealthReport>): HealthReport => ({url: 'ws://x', latencyMs: 1, serverVersion: '1', uptimeMs: 1, ready: true, failing: [], ok: true, ...overrides})

describe('healthProblems', () => {
  it.each<[string, Partial<HealthReport>, string[]]>([
    ['ready, nothing failing', {}, []],
    ['not ready without a list (unauthenticated remote)', {ready: false}, ['not ready']],
    ['failing components', {ready: false, failing: ['startup', 'sessions']}, ['startup', 'sessions']],
    ['readiness unknown', {ready: null, readyError: 'fetch failed'}, ['readiness unknown (fetch failed)']],
    ['snapshot not ok', {ok: false}, ['health snapshot not ok']],
  ])('%s', (_name, overrides, problems) => {
    expect(healthProblems(report(overrides))).toEqual(problems)
  })
})

describe('snapshotProblems', () => {
  it.each<[string, unknown, string[]]>([
    ['empty gateway', {ok: true, channels: {}}, []],
    ['configured account not running', {ok: true, channels: {telegram: {configured: true, running: true, accounts: {default: {running: true}, work: {running: false}}}}}, ['channel:telegram:work']],
    ['unconfigured channel is ignored', {ok: true, channels: {telegram: {configured: false, running: false, accounts: {default: {running: false}}}}}, []],
    ['ok false', {ok: false}, ['health snapshot not ok']],
    ['not an object', null, ['health snapshot missing']],
  ])('%s', (_name, snapshot, problems) => {
    expect(snapshotProblems(snapshot)).toEqual(problems)
  })
})

describe('buildCallParams', () => {
  it.each<[string, string, string, string | undefined, unknown]>([
    ['JSON', 'status', '{}', undefined, {}],
    ['JSON5', 'health', '{probe: true, }', undefined, {probe: true}],
    ['explicit key on any method', 'config.get', '{}', 'k1', {idempotencyKey: 'k1'}],
    ['a key in params is kept', 'send', '{to: "x", idempotencyKey: "mine"}', undefined, {to: 'x', idempotencyKey: 'mine'}],
    ['non-object params pass through', 'health', '[1]', undefined, [1]],
  ])('%s', (_name, method, raw, key, expected) => {
    expect(buildCallParams(method, raw, key)).toEqual(expected)
  })

  it.each(['agent', 'send', 'chat.send'])('generates a UUID idempotencyKey for %s', (method) => {
    expect(buildCallParams(method, '{message: "hi"}')).toEqual({message: 'hi', idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/)})
  })

  it('rejects params that are not JSON5 as a usage error', () => {
    let error: unknown
    try {
      buildCallParams('status', '{nope')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({code: 'USAGE', exitCode: 2})
    expect((error as AppError).message).toMatch(/^invalid --params: /)
  })
})

describe('renderHealth', () => {
  const now = 1_000_000_000
  it('renders the operations §8 lines', () => {
    const lines = renderHealth(
      {
        url: 'ws://127.0.0.1:18789', latencyMs: 6, serverVersion: '0.4.0', uptimeMs: (2 * 60 + 13) * 60_000, ready: true, failing: [], ok: true,
        agents: [{agentId: 'main', isDefault: true, sessions: {count: 12}}, {agentId: 'work', isDefault: false, sessions: {count: 1}}],
        channelOrder: ['telegram'], channelLabels: {telegram: 'Telegram'},
        channels: {telegram: {configured: true, running: true, accounts: {
          default: {running: true, connected: true, lastInboundAt: now - 180_000, probe: {ok: true, bot: {username: 'ana_home_bot'}}},
          work: {running: false, lastError: '409 Conflict: another process is polling this bot token'},
        }}},
      },
      now,
    )
    expect(lines).toEqual([
      'Gateway ws://127.0.0.1:18789: ok in 6 ms, openclaw 0.4.0, up 2h 13m, ready',
      'Agents: main (default), 12 sessions; work, 1 session',
      'Telegram default: connected as @ana_home_bot, last inbound 3m ago',
      'Telegram work: error: 409 Conflict: another process is polling this bot token',
    ])
  })

  it.each<[Partial<HealthReport>, string]>([
    [{ready: false, failing: ['startup']}, 'not ready (failing: startup)'],
    [{ready: null, readyError: 'HTTP 404'}, 'readiness unknown (HTTP 404)'],
    [{ready: undefined}, 'up 0s'],
  ])('header for %j ends with %s', (overrides, tail) => {
    expect(renderHealth({...report(overrides), uptimeMs: 0}, now)[0].endsWith(tail)).toBe(true)
  })

  it.each([
    [45_000, '45s'],
    [180_000, '3m'],
    [(2 * 60 + 13) * 60_000, '2h 13m'],
    [(4 * 24 + 2) * 3_600_000, '4d 2h'],
  ])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
