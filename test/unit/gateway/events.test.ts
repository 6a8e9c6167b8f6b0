import {describe, expect, it} from 'vitest'

import {emitEvent, eventFramer, receives, SERVED_EVENTS, type EventReceiver} from '../../../src/runtime/gateway/server/events.js'
import {HealthCache} from '../../../src/runtime/gateway/server/health-cache.js'
import {MAX_PRESENCE_ENTRIES, PresenceList} from '../../../src/runtime/gateway/server/presence.js'
import {EventFrameSchema, type OperatorScope} from '../../../src/runtime/gateway/protocol/frames.js'

function receiver(scopes: OperatorScope[], role: 'operator' | 'node' = 'operator') {
  let seq = 0
  const got: Array<{text: string; dropIfSlow: boolean}> = []
  const r: EventReceiver & {got: typeof got} = {role, scopes, got, nextSeq: () => ++seq, sendEvent: (frame, dropIfSlow) => void got.push({text: frame.toString('utf8'), dropIfSlow})}
  return r
}

describe('events (protocol §7)', () => {
  it('advertises exactly the served events (phase 1 plus runs and sessions), connect.challenge included', () => {
    expect([...SERVED_EVENTS].sort()).toEqual(['agent', 'chat', 'config.changed', 'connect.challenge', 'exec.approval.requested', 'exec.approval.resolved', 'health', 'presence', 'sessions.changed', 'shutdown', 'tick'])
  })

  it.each<[string, OperatorScope[], 'operator' | 'node', OperatorScope | undefined, boolean]>([
    ['operator, scope-less event', [], 'operator', undefined, true],
    ['node, scope-less event', [], 'node', undefined, true],
    ['node, read event', ['operator.admin'], 'node', 'operator.read', false],
    ['no scopes, read event', [], 'operator', 'operator.read', false],
    ['write, read event', ['operator.write'], 'operator', 'operator.read', true],
    ['admin, pairing event', ['operator.admin'], 'operator', 'operator.pairing', true],
  ])('receives: %s → %s', (_name, scopes, role, scope, expected) => {
    expect(receives({role, scopes}, scope)).toBe(expected)
  })

  it('frames valid event JSON with per-connection seq and optional stateVersion', () => {
    const frame = eventFramer('presence', {presence: []}, {presence: 2, health: 3})
    const parsed = JSON.parse(frame(7).toString('utf8'))
    expect(parsed).toEqual({type: 'event', event: 'presence', payload: {presence: []}, seq: 7, stateVersion: {presence: 2, health: 3}})
    expect(EventFrameSchema.safeParse(parsed).success).toBe(true)
    expect(JSON.parse(eventFramer('tick', undefined)(1).toString('utf8'))).toEqual({type: 'event', event: 'tick', seq: 1})
    // Multi-byte payloads and long counters survive the byte-level assembly.
    expect(JSON.parse(eventFramer('chat', {text: 'héllo ✓ 🦞'})(1234567).toString('utf8'))).toEqual({type: 'event', event: 'chat', payload: {text: 'héllo ✓ 🦞'}, seq: 1234567})
  })

  it('filters by scope, counts seq per receiver, and applies the table defaults', () => {
    const reader = receiver(['operator.read'])
    const bare = receiver([])
    const node = receiver([], 'node')
    emitEvent([reader, bare, node], 'tick', {ts: 1})
    emitEvent([reader, bare, node], 'presence', {presence: []})
    emitEvent([reader, bare, node], 'config.changed', {path: '/c', hash: 'h', ts: 2})
    emitEvent([reader, bare, node], 'tick', {ts: 3})
    expect(reader.got.map((g) => [JSON.parse(g.text).event, JSON.parse(g.text).seq, g.dropIfSlow])).toEqual([
      ['tick', 1, true], ['presence', 2, true], ['config.changed', 3, false], ['tick', 4, true],
    ])
    expect(bare.got.map((g) => JSON.parse(g.text).seq)).toEqual([1, 2])
    expect(node.got.map((g) => JSON.parse(g.text).event)).toEqual(['tick', 'tick'])
  })
})

describe('PresenceList', () => {
  const entry = (mode: string, ts = 1) => ({ts, mode})

  it('lists the gateway first, skips cli/probe, and bumps the version only on change', () => {
    const list = new PresenceList(() => ({ts: 0, mode: 'gateway', reason: 'self'}))
    expect(list.upsert('a', 'c1', entry('cli'))).toBe(false)
    expect(list.upsert('b', 'c2', entry('probe'))).toBe(false)
    expect(list.version).toBe(0)
    expect(list.upsert('ui', 'c3', entry('ui'))).toBe(true)
    expect(list.version).toBe(1)
    expect(list.list().map((e) => e.mode)).toEqual(['gateway', 'ui'])
  })

  it('removes an entry only for the connection that owns it', () => {
    const list = new PresenceList(() => ({ts: 0}))
    list.upsert('inst', 'old', entry('ui'))
    list.upsert('inst', 'new', entry('ui', 2))
    expect(list.remove('inst', 'old')).toBe(false)
    expect(list.list()).toHaveLength(2)
    expect(list.remove('inst', 'new')).toBe(true)
    expect(list.list()).toHaveLength(1)
  })

  it(`keeps at most ${MAX_PRESENCE_ENTRIES} entries, dropping the oldest client`, () => {
    const list = new PresenceList(() => ({ts: 0}))
    for (let i = 0; i < MAX_PRESENCE_ENTRIES + 20; i++) list.upsert(`k${i}`, `c${i}`, entry('ui', i))
    const entries = list.list()
    expect(entries).toHaveLength(MAX_PRESENCE_ENTRIES)
    expect(entries[1].ts).toBe(21)
  })
})

describe('HealthCache (protocol §6.2)', () => {
  const input = {channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 0, defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []}}

  it('serves from cache under maxAge, refreshes when stale or probed, and bumps the version', async () => {
    let now = 1000
    let calls = 0
    const changes: number[] = []
    const cache = new HealthCache(({probe}) => ({...input, heartbeatSeconds: probe ? 1 : 0, ts: now, durationMs: ++calls}), (_s, v) => changes.push(v), () => now, 60_000)
    expect(cache.isFresh()).toBe(false)
    const first = await cache.get({probe: false})
    expect(first).toMatchObject({ok: true, ts: 1000, durationMs: 1})
    now += 59_000
    expect(cache.get({probe: false})).toBe(first)
    now += 2000
    expect(await cache.get({probe: false})).toMatchObject({durationMs: 2})
    expect(await cache.get({probe: true})).toMatchObject({heartbeatSeconds: 1, durationMs: 3})
    expect(changes).toEqual([1, 2, 3])
    expect(cache.version).toBe(3)
  })

  it('shares one provider run between concurrent refreshes', async () => {
    let calls = 0
    const cache = new HealthCache(async () => {
      calls++
      await new Promise((r) => setTimeout(r, 10))
      return input
    }, () => undefined)
    await Promise.all([cache.refresh(), cache.refresh(), cache.get({probe: true})])
    expect(calls).toBe(1)
  })

  it('after invalidate, a non-probe get waits for a refresh that saw the new inputs, even with one already in flight', async () => {
    let agent = 'main'
    let release: () => void = () => undefined
    const cache = new HealthCache(async () => {
      const seen = agent
      if (seen === 'main') await new Promise<void>((r) => (release = r))
      return {...input, defaultAgentId: seen}
    }, () => undefined)
    const stale = cache.refresh()
    agent = 'desk'
    const renewed = cache.invalidate()
    expect(cache.isFresh()).toBe(false)
    release()
    await stale
    expect(cache.isFresh()).toBe(false)
    await renewed
    expect(await cache.get({probe: false})).toMatchObject({defaultAgentId: 'desk'})
    expect(cache.isFresh()).toBe(true)
  })

  it('keeps the previous snapshot when the provider fails', async () => {
    const cache = new HealthCache(() => {
      throw new Error('store unreadable')
    }, () => undefined)
    const before = cache.current
    await expect(cache.refresh()).rejects.toThrow('store unreadable')
    expect(cache.current).toBe(before)
    expect(cache.version).toBe(0)
  })
})

describe('HealthCache.get on provider failure', () => {
  it('serves the last snapshot without probe, and surfaces the error with probe', async () => {
    const cache = new HealthCache(() => {
      throw new Error('channels down')
    }, () => undefined)
    await expect(cache.get({probe: false})).resolves.toBe(cache.current)
    await expect(cache.get({probe: true})).rejects.toThrow('channels down')
  })
})

describe('HealthCache.get with a slow provider', () => {
  it('serves the stale snapshot after staleWaitMs instead of waiting for a slow refresh', async () => {
    let release!: () => void
    const slow = new Promise<void>((r) => (release = r))
    const input = {channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 7, defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []}}
    const cache = new HealthCache(async () => {
      await slow
      return input
    }, () => undefined, Date.now, 60_000, 30)
    const before = cache.current
    const [a, b] = await Promise.all([cache.get({probe: false}), cache.get({probe: false})])
    expect(a).toBe(before)
    expect(b).toBe(before)
    release()
    await cache.refresh()
    expect(cache.get({probe: false})).toMatchObject({heartbeatSeconds: 7})
  })
})
