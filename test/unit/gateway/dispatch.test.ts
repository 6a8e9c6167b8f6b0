import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {dispatchFrame, dispatchRequest, type DispatchConnection, type DispatchDeps} from '../../../src/runtime/gateway/server/dispatch.js'
import {HealthCache} from '../../../src/runtime/gateway/server/health-cache.js'
import {MethodError} from '../../../src/runtime/gateway/server/method-error.js'
import {MethodRateLimiter, WRITE_METHOD_RATE_LIMIT} from '../../../src/runtime/gateway/server/method-rate-limit.js'
import {healthMethods} from '../../../src/runtime/gateway/methods/health.js'
import {presenceMethods} from '../../../src/runtime/gateway/methods/presence.js'
import {statusMethods} from '../../../src/runtime/gateway/methods/status.js'
import {PresenceList} from '../../../src/runtime/gateway/server/presence.js'
import type {OperatorScope} from '../../../src/runtime/gateway/protocol/frames.js'
import {defineMethod, MethodRegistry, type MethodDefinition} from '../../../src/runtime/gateway/server/registry.js'
import {RequestGate} from '../../../src/runtime/gateway/server/request-gate.js'
import type {GatewayServices} from '../../../src/runtime/gateway/server/services.js'
import {memoryLogger} from './harness.js'

function services(logger = memoryLogger().logger): GatewayServices {
  return {
    info: {version: '1.2.3', startedAt: 1000, bind: 'loopback', port: 18789, authMode: 'token', reloadMode: 'hybrid', configPath: '/c.json', stateDir: '/s'},
    health: new HealthCache(() => ({channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 1800, defaultAgentId: 'main', agents: [], sessions: {path: '/s', count: 0, recent: []}}), () => undefined),
    presence: new PresenceList(() => ({ts: 1, mode: 'gateway', reason: 'self'})),
    logger, now: () => 5000, getConfig: () => undefined, queuedSystemEvents: () => [], broadcast: () => undefined,
  }
}

const extra = [
  defineMethod({name: 'boom', scope: undefined, params: z.object({}), handler: () => {
    throw new Error('disk on fire')
  }}),
  defineMethod({name: 'async-boom', scope: undefined, params: z.object({}), handler: async () => {
    throw new TypeError('nope')
  }}),
  defineMethod({name: 'typed-error', scope: undefined, params: z.object({}), handler: () => {
    throw new MethodError('APPROVAL_NOT_FOUND', 'approval not found: x', {details: {id: 'x'}})
  }}),
  defineMethod({name: 'app-error', scope: undefined, params: z.object({}), handler: async () => {
    throw new AppError('CONFIG_INVALID', 'config is bad', {hint: ['openclaw config validate']})
  }}),
  defineMethod({name: 'app-locked', scope: undefined, params: z.object({}), handler: () => {
    throw new AppError('STATE_LOCKED', 'state dir locked')
  }}),
  defineMethod({name: 'retry-error', scope: undefined, params: z.object({}), handler: () => {
    throw new MethodError('UNAVAILABLE', 'busy backend', {retryAfterMs: 250})
  }}),
  defineMethod({name: 'strict.write', scope: 'operator.write', params: z.strictObject({n: z.int()}), handler: (p) => ({doubled: p.n * 2})}),
  defineMethod({name: 'void', scope: undefined, params: z.object({}), handler: () => undefined}),
  defineMethod({name: 'bigint', scope: undefined, params: z.object({}), handler: () => ({n: 1n})}),
]
/** The groups under test only, so other method groups never change these cases. */
const createMethodRegistry = (groups: MethodDefinition[][]) => new MethodRegistry([healthMethods, statusMethods, presenceMethods, ...groups])
const deps = (): DispatchDeps => ({registry: createMethodRegistry([extra]), services: services()})

function conn(scopes: OperatorScope[] = [], role: 'operator' | 'node' = 'operator'): DispatchConnection & {sent: string[]} {
  const sent: string[] = []
  return {connId: 'c', role, scopes, clientId: 'cli', clientMode: 'cli', ip: '127.0.0.1', loopback: true, methodState: new Map(), sent, send: (t) => void sent.push(t)}
}

async function call(text: string, c = conn(), d = deps(), binary = false) {
  await dispatchFrame(text, binary, c, d)
  expect(c.sent).toHaveLength(1)
  return JSON.parse(c.sent[0])
}
const req = (method: string, params?: unknown, id = 'r1') => JSON.stringify({type: 'req', id, method, params})

describe('dispatch (protocol §2.4)', () => {
  it.each<[string, string, OperatorScope[], 'operator' | 'node', Record<string, unknown>]>([
    ['health with no scopes', req('health'), [], 'operator', {ok: true, payload: expect.objectContaining({ok: true, defaultAgentId: 'main', heartbeatSeconds: 1800})}],
    ['health for a node', req('health', {}), [], 'node', {ok: true}],
    ['connect again', req('connect', {}), ['operator.admin'], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: 'connect is only valid as the first request'}}],
    ['unknown method, whatever the scopes', req('nope.nothing'), ['operator.admin'], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: 'unknown method: nope.nothing'}}],
    ['unknown method before the node check', req('nope'), [], 'node', {ok: false, error: {code: 'INVALID_REQUEST', message: 'unknown method: nope'}}],
    ['node calling status', req('status'), ['operator.admin'], 'node', {ok: false, error: {code: 'INVALID_REQUEST', message: 'unauthorized role: node'}}],
    ['missing scope', req('status'), [], 'operator', {ok: false, error: {code: 'FORBIDDEN', message: 'missing scope: operator.read',
      details: {code: 'MISSING_SCOPE', missingScope: 'operator.read', requiredScopes: ['operator.read']}}}],
    ['read does not satisfy write', req('strict.write', {n: 1}), ['operator.read'], 'operator', {ok: false, error: {code: 'FORBIDDEN', message: 'missing scope: operator.write'}}],
    ['scope is checked before params', req('strict.write', {n: 'x'}), [], 'operator', {ok: false, error: {code: 'FORBIDDEN'}}],
    ['bad params', req('strict.write', {n: 'x'}), ['operator.write'], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid strict\.write params: n: /)}}],
    ['unknown key rejected by a write method', req('strict.write', {n: 1, z: 2}), ['operator.admin'], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringContaining('invalid strict.write params: ')}}],
    ['unknown key ignored by a read method', req('health', {probe: false, future: 1}), [], 'operator', {ok: true}],
    ['health probe must be boolean', req('health', {probe: 'yes'}), [], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid health params: probe: /)}}],
    ['params must be an object', req('health', [1]), [], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid health params: /)}}],
    ['handler result', req('strict.write', {n: 21}), ['operator.write'], 'operator', {ok: true, payload: {doubled: 42}}],
    ['undefined result becomes null', req('void'), [], 'operator', {ok: true, payload: null}],
    ['throwing handler', req('boom'), [], 'operator', {ok: false, error: {code: 'UNAVAILABLE', message: 'disk on fire'}}],
    ['rejecting handler', req('async-boom'), [], 'operator', {ok: false, error: {code: 'UNAVAILABLE', message: 'nope'}}],
    ['an AppError maps by its code, ours in details', req('app-error'), [], 'operator', {ok: false, error: {code: 'INVALID_REQUEST', message: 'config is bad', details: {code: 'CONFIG_INVALID', hint: ['openclaw config validate']}}}],
    ['a lock AppError is retryable UNAVAILABLE', req('app-locked'), [], 'operator', {ok: false, error: {code: 'UNAVAILABLE', message: 'state dir locked', retryable: true, retryAfterMs: 1000, details: {code: 'STATE_LOCKED'}}}],
    ['MethodError keeps its code', req('typed-error'), [], 'operator', {ok: false, error: {code: 'APPROVAL_NOT_FOUND', message: 'approval not found: x', details: {id: 'x'}}}],
    ['retryable MethodError', req('retry-error'), [], 'operator', {ok: false, error: {code: 'UNAVAILABLE', message: 'busy backend', retryable: true, retryAfterMs: 250}}],
    ['unserializable result', req('bigint'), [], 'operator', {ok: false, error: {code: 'UNAVAILABLE'}}],
  ])('%s', async (_name, text, scopes, role, expected) => {
    const res = await call(text, conn(scopes, role))
    expect(res).toMatchObject({type: 'res', id: 'r1', ...expected})
    if (res.ok === false) expect(res.error.message).not.toMatch(/\n\s+at /)
  })

  it.each([
    ['garbage', 'not json', false, 'invalid', 'invalid request frame: frame is not valid JSON'],
    ['binary', '', true, 'invalid', 'invalid request frame: binary frames are not supported'],
    ['array', '[]', false, 'invalid', expect.stringMatching(/^invalid request frame: /)],
    ['missing method, id echoed', '{"type":"req","id":"x1"}', false, 'x1', expect.stringMatching(/^invalid request frame: method: /)],
    ['wrong type, id echoed', '{"type":"res","id":"x2","method":"health"}', false, 'x2', expect.stringMatching(/^invalid request frame: type: /)],
    ['numeric id', '{"type":"req","id":5,"method":"health"}', false, 'invalid', expect.stringMatching(/^invalid request frame: id: /)],
    ['too deep', `{"type":"req","id":"d","method":"health","params":${'['.repeat(100)}${']'.repeat(100)}}`, false, 'invalid', expect.stringContaining('nested deeper')],
  ])('invalid frame: %s', async (_name, text, binary, id, message) => {
    const res = await call(text, conn(), deps(), binary)
    expect(res).toEqual({type: 'res', id, ok: false, error: {code: 'INVALID_REQUEST', message}})
  })

  it('logs a throwing handler with the request id, and answers without a stack', async () => {
    const {logger, lines} = memoryLogger()
    const d: DispatchDeps = {registry: createMethodRegistry([extra]), services: services(logger)}
    const res = await dispatchRequest({type: 'req', id: 'q9', method: 'boom'}, conn(), d)
    expect(res.error).toEqual({code: 'UNAVAILABLE', message: 'disk on fire'})
    expect(lines).toEqual([expect.objectContaining({level: 'error', fields: expect.objectContaining({requestId: 'q9', error: expect.stringContaining('disk on fire')})})])
  })

  it('refuses with busy once 256 requests wait to start', async () => {
    let release!: () => void
    const blocker = new Promise<void>((r) => (release = r))
    const slow = defineMethod({name: 'slow', scope: undefined, params: z.object({}), handler: () => blocker})
    const d: DispatchDeps = {registry: createMethodRegistry([[slow]]), services: services(), gate: new RequestGate(2, 256)}
    const c = conn()
    const running = Array.from({length: 2 + 256}, (_, i) => dispatchRequest({type: 'req', id: `s${i}`, method: 'slow'}, c, d))
    const busy = await dispatchRequest({type: 'req', id: 'over', method: 'slow'}, c, d)
    expect(busy.error).toEqual({code: 'UNAVAILABLE', message: 'The server is busy. Please try again in a moment.', retryable: true, retryAfterMs: 1000})
    release()
    const results = await Promise.all(running)
    expect(results.every((r) => r.ok)).toBe(true)
    await d.gate?.idle()
    expect(d.gate?.inFlight).toBe(0)
  })

  it('status hides paths from non-admins and shows them to admins', async () => {
    const read = await call(req('status'), conn(['operator.read']))
    expect(read.payload).toMatchObject({version: '1.2.3', gateway: {bind: 'loopback', port: 18789, authMode: 'token', reloadMode: 'hybrid'}, uptimeMs: 4000})
    expect(read.payload.configPath).toBeUndefined()
    const admin = await call(req('status'), conn(['operator.admin']))
    expect(admin.payload).toMatchObject({configPath: '/c.json', stateDir: '/s'})
  })

  it('system-presence lists the gateway itself first', async () => {
    const res = await call(req('system-presence'), conn(['operator.read']))
    expect(res.payload).toEqual([{ts: 1, mode: 'gateway', reason: 'self'}])
  })

  it('answers a method whose subsystem is starting with retryable UNAVAILABLE (§6.1)', async () => {
    let ready = false
    const gated = defineMethod({name: 'gated.get', scope: undefined, params: z.object({}), ready: () => ready, handler: () => 'ok'})
    const d: DispatchDeps = {registry: createMethodRegistry([[gated]]), services: services()}
    expect((await dispatchRequest({type: 'req', id: 'g', method: 'gated.get'}, conn(), d)).error).toEqual({
      code: 'UNAVAILABLE', message: 'gated.get unavailable during gateway startup', retryable: true, retryAfterMs: 500,
      details: {reason: 'startup-sidecars', method: 'gated.get'},
    })
    ready = true
    expect((await dispatchRequest({type: 'req', id: 'g', method: 'gated.get'}, conn(), d)).payload).toBe('ok')
  })

  it('limits a write method to 30 calls per 60 s per client IP (§6.1)', async () => {
    let now = 1_000_000
    const limited = defineMethod({name: 'test.write', scope: undefined, params: z.object({}), rateLimit: WRITE_METHOD_RATE_LIMIT, handler: () => ({ok: true})})
    const d: DispatchDeps = {registry: createMethodRegistry([[limited]]), services: services(), rateLimiter: new MethodRateLimiter(() => now)}
    for (let i = 0; i < 30; i++) {
      expect((await dispatchRequest({type: 'req', id: `w${i}`, method: 'test.write'}, conn(), d)).ok).toBe(true)
      now += 1000
    }
    const refused = await dispatchRequest({type: 'req', id: 'w30', method: 'test.write'}, conn(), d)
    expect(refused.error).toEqual({
      code: 'UNAVAILABLE', message: 'rate limit exceeded for test.write; retry after 30s', retryable: true, retryAfterMs: 30_000,
      details: {method: 'test.write', limit: '30 per 60s'},
    })
    const otherIp = {...conn(), ip: '10.0.0.7'}
    expect((await dispatchRequest({type: 'req', id: 'o', method: 'test.write'}, otherIp, d)).ok).toBe(true)
    now += 30_000
    expect((await dispatchRequest({type: 'req', id: 'w31', method: 'test.write'}, conn(), d)).ok).toBe(true)
  })
})
