import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {connectClient, connectParams, startTestServer, TestClient, until} from './harness.js'

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]
  return {next, int, pick}
}

type Rand = ReturnType<typeof prng>

const METHODS = ['health', 'status', 'system-presence', 'connect', 'config.get', '', 'x'.repeat(300), 'héalth', '__proto__', 'constructor']

function randomValue(r: Rand, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0: return null
    case 1: return r.next() < 0.5
    case 2: return r.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER, 3, 4])
    case 3: return r.pick(['', 'req', 'res', 'event', 'health', '\u0000', '💥', 'x'.repeat(r.int(2000))])
    case 4: return r.pick([[], {}, {probe: true}, {probe: 'yes'}, {__proto__: {polluted: true}}])
    case 5: return Array.from({length: r.int(4)}, () => randomValue(r, depth + 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = r.int(4); i > 0; i--) o[r.pick(['type', 'id', 'method', 'params', 'traceparent', 'probe', 'a', 'constructor'])] = randomValue(r, depth + 1)
      return o
    }
  }
}

/** One hostile or odd frame: mutated requests, random JSON, truncated JSON, deep nesting, binary noise. */
function randomFrame(r: Rand): string | Buffer {
  const valid = {type: 'req', id: `f${r.int(1e6)}`, method: r.pick(METHODS), params: r.next() < 0.5 ? undefined : randomValue(r)}
  switch (r.int(9)) {
    case 0: return JSON.stringify(valid)
    case 1: {
      const frame: Record<string, unknown> = {...valid}
      frame[r.pick(['type', 'id', 'method', 'params', 'traceparent'])] = randomValue(r)
      if (r.next() < 0.3) delete frame[r.pick(['type', 'id', 'method'])]
      return JSON.stringify(frame)
    }
    case 2: return JSON.stringify(randomValue(r))
    case 3: {
      const text = JSON.stringify(valid)
      return text.slice(0, r.int(text.length))
    }
    case 4: {
      const depth = r.pick([10, 63, 64, 65, 1000, 20_000])
      return `{"type":"req","id":"deep","method":"health","params":${'['.repeat(depth)}${']'.repeat(depth)}}`
    }
    case 5: return Buffer.from(Array.from({length: r.int(64)}, () => r.int(256)))
    case 6: {
      const text = JSON.stringify(valid)
      const at = r.int(text.length)
      return text.slice(0, at) + String.fromCharCode(r.int(0x7f)) + text.slice(at + 1)
    }
    case 7: return r.pick(['', ' ', 'null', '[]', '{}', '"req"', '{"type":"req"}', '{"type":"req","id":"z","method":"health","params":{"probe":true}}'])
    default: return JSON.stringify({...valid, id: r.pick(['', 'x'.repeat(5000), '🙂', 'invalid'])})
  }
}

let server: GatewayServer
let url: string
beforeAll(async () => {
  ;({server, url} = await startTestServer())
})
afterAll(() => server.close({drainMs: 200}))

describe('gateway fuzz (bounded)', () => {
  it('answers every one of 10,000 random frames after hello-ok with exactly one response and stays healthy', async () => {
    const seed = Date.now() % 100_000
    const r = prng(seed)
    const sessions = await Promise.all(Array.from({length: 4}, () => connectClient(url)))
    const sent = new Array(sessions.length).fill(0)
    const started = Date.now()
    for (let i = 0; i < 10_000 && Date.now() - started < 4000; i++) {
      const k = i % sessions.length
      sessions[k].client.send(randomFrame(r))
      sent[k]++
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    const answered = (k: number) => sessions[k].client.frames.filter((f) => f.type === 'res').length - 1
    await until(() => sessions.every((_s, k) => answered(k) >= sent[k]), 8000).catch(() => undefined)
    expect(sent.reduce((a, b) => a + b, 0), `seed ${seed}`).toBe(10_000)
    expect(sessions.map((_s, k) => answered(k)), `seed ${seed}`).toEqual(sent)
    for (const {client} of sessions) {
      const bad = client.frames.filter((f) => f.type === 'res' && f.ok === false && typeof f.error?.code !== 'string')
      expect(bad, `seed ${seed}`).toEqual([])
      expect((await client.request('health')).ok).toBe(true)
      await client.closeAndWait()
    }
  }, 20_000)

  it('survives random first frames on fresh sockets and still serves health', async () => {
    const seed = (Date.now() + 7) % 100_000
    const r = prng(seed)
    const started = Date.now()
    let opened = 0
    while (opened < 300 && Date.now() - started < 4000) {
      const batch = await Promise.all(Array.from({length: 20}, () => TestClient.open(url)))
      opened += batch.length
      for (const client of batch) {
        for (let i = r.int(4) + 1; i > 0; i--) client.send(randomFrame(r))
        if (r.next() < 0.2) client.send({type: 'req', id: 'c', method: 'connect', params: connectParams({auth: {token: r.pick(['bad', undefined])}})})
      }
      await Promise.all(batch.map((c) => c.closeAndWait()))
    }
    expect(opened, `seed ${seed}`).toBeGreaterThanOrEqual(100)
    await until(() => server.pendingConnections === 0)
    const {client, res} = await connectClient(url)
    expect(res.ok).toBe(true)
    expect((await client.request('health')).ok).toBe(true)
    await client.closeAndWait()
  }, 20_000)
})
