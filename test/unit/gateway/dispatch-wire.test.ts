import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {dispatchFrame, dispatchRequest, encodeResponse, type DispatchConnection, type DispatchDeps} from '../../../src/runtime/gateway/server/dispatch.js'
import {HealthCache, type HealthProvider} from '../../../src/runtime/gateway/server/health-cache.js'
import {healthMethods} from '../../../src/runtime/gateway/methods/health.js'
import {PresenceList} from '../../../src/runtime/gateway/server/presence.js'
import type {RequestFrame} from '../../../src/runtime/gateway/protocol/frames.js'
import {defineMethod, MethodRegistry} from '../../../src/runtime/gateway/server/registry.js'
import {RequestGate} from '../../../src/runtime/gateway/server/request-gate.js'
import {memoryLogger} from './harness.js'

const snapshotInput = {channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 1800, defaultAgentId: 'main', agents: [], sessions: {path: '/s', count: 0, recent: []}}

function deps(provider: HealthProvider = () => snapshotInput, gate?: RequestGate): DispatchDeps & {logs: ReturnType<typeof memoryLogger>['lines']} {
  const {logger, lines} = memoryLogger()
  const extra = [
    defineMethod({name: 'echo', scope: undefined, params: z.object({n: z.number()}), handler: (p) => ({n: p.n})}),
    defineMethod({name: 'later', scope: undefined, params: z.object({}), handler: async () => ({done: true})}),
    defineMethod({name: 'boom', scope: undefined, params: z.object({}), handler: () => {
      throw new Error('disk on fire')
    }}),
  ]
  return {
    logs: lines,
    registry: new MethodRegistry([healthMethods, extra]),
    gate,
    services: {
      info: {version: '1.2.3', startedAt: 1000, bind: 'loopback', port: 18789, authMode: 'token', reloadMode: 'hybrid'},
      health: new HealthCache(provider, () => undefined),
      presence: new PresenceList(() => ({ts: 1, mode: 'gateway', reason: 'self'})),
      logger, now: () => 5000, getConfig: () => undefined, queuedSystemEvents: () => [], broadcast: () => undefined,
    },
  }
}

function conn(): DispatchConnection & {sent: string[]} {
  const sent: string[] = []
  return {connId: 'c', role: 'operator', scopes: ['operator.read'], clientId: 'cli', clientMode: 'cli', ip: '127.0.0.1', loopback: true, methodState: new Map(), sent, send: (t) => void sent.push(t)}
}

const req = (method: string, params?: unknown, id = 'r1'): RequestFrame => ({type: 'req', id, method, params})

describe('dispatch on the wire', () => {
  it('answers a synchronous handler before dispatchFrame returns, with no promise', async () => {
    const d = deps()
    await d.services.health.refresh()
    const c = conn()
    expect(dispatchFrame(JSON.stringify(req('health')), false, c, d)).toBeUndefined()
    expect(c.sent).toHaveLength(1)
    expect(JSON.parse(c.sent[0])).toMatchObject({type: 'res', id: 'r1', ok: true, payload: {defaultAgentId: 'main'}})
  })

  it('returns a promise for an async handler and answers once it settles', async () => {
    const c = conn()
    const pending = dispatchFrame(JSON.stringify(req('later')), false, c, deps())
    expect(pending).toBeInstanceOf(Promise)
    expect(c.sent).toHaveLength(0)
    await pending
    expect(JSON.parse(c.sent[0])).toEqual({type: 'res', id: 'r1', ok: true, payload: {done: true}})
  })

  it('waits for a gate slot, then answers and frees the slot', async () => {
    const gate = new RequestGate(1, 4)
    expect(gate.enter()).toBe(true)
    const c = conn()
    const pending = dispatchFrame(JSON.stringify(req('echo', {n: 1})), false, c, deps(undefined, gate))
    expect(pending).toBeInstanceOf(Promise)
    gate.leave()
    await pending
    expect(JSON.parse(c.sent[0])).toMatchObject({ok: true, payload: {n: 1}})
    expect(gate.inFlight).toBe(0)
  })

  it.each([
    ['cached health snapshot, fresh', req('health', {}, 'h"1'), true],
    ['cached health snapshot, before the first refresh', req('health'), false],
    ['another payload', req('echo', {n: 7}), true],
    ['bad params', req('echo', {n: 'x'}), true],
    ['throwing handler', req('boom'), true],
  ])('sends the same bytes as encodeResponse: %s', async (_name, frame, refreshed) => {
    const d = deps()
    if (refreshed) await d.services.health.refresh()
    const c = conn()
    await dispatchFrame(JSON.stringify(frame), false, c, d)
    expect(c.sent).toEqual([encodeResponse(await dispatchRequest(frame, c, d))])
  })

  it('serves a health snapshot that cannot be serialized as UNAVAILABLE', async () => {
    const d = deps(() => ({...snapshotInput, heartbeatSeconds: 1n as unknown as number}))
    await d.services.health.refresh()
    const c = conn()
    await dispatchFrame(JSON.stringify(req('health')), false, c, d)
    expect(JSON.parse(c.sent[0])).toMatchObject({ok: false, error: {code: 'UNAVAILABLE'}})
  })
})

describe('HealthCache.jsonFor', () => {
  it('serializes the cached snapshot once per refresh and nothing else', async () => {
    let beat = 0
    const cache = new HealthCache(() => ({...snapshotInput, heartbeatSeconds: ++beat}), () => undefined)
    await cache.refresh()
    const first = cache.jsonFor(cache.current)
    expect(first).toBe(JSON.stringify(cache.current))
    expect(cache.jsonFor(cache.current)).toBe(first)
    expect(cache.jsonFor({...cache.current})).toBeUndefined()
    await cache.refresh()
    expect(JSON.parse(cache.jsonFor(cache.current) ?? 'null')).toMatchObject({heartbeatSeconds: 2})
  })
})
