import {describe, expect, it} from 'vitest'

import {IDEMPOTENCY_MAX_COMPLETED, IDEMPOTENCY_TTL_MS, IdempotencyMap} from '../../../../src/runtime/agents/run/idempotency.js'

const reply = (chars: number) => ({status: 'ok', result: {payloads: [{text: 'x'.repeat(chars)}]}})

describe('IdempotencyMap bounds', () => {
  it('evicts the oldest completed finals once their JSON passes the byte budget', () => {
    const map = new IdempotencyMap<string>(() => 0, 10_000)
    for (let i = 0; i < 4; i++) {
      map.begin(`k${i}`, `run${i}`)
      map.finish(`k${i}`, true, reply(3000))
    }
    // Each final is ~3050 characters: three fit in 10 000, the fourth pushes the oldest out.
    expect(map.get('k0')).toBeUndefined()
    expect(['k1', 'k2', 'k3'].map((k) => map.get(k)?.state)).toEqual(['done', 'done', 'done'])
    expect(map.size().completed).toBe(3)
    expect(map.size().bytes).toBeLessThanOrEqual(10_000)
  })

  it('keeps the newest final even when it alone is over budget, and never evicts in-flight keys', () => {
    const map = new IdempotencyMap<string>(() => 0, 1000)
    map.begin('running', 'r')
    map.begin('old', 'o')
    map.finish('old', true, reply(10))
    map.begin('big', 'b')
    map.finish('big', true, reply(5000))
    expect(map.get('old')).toBeUndefined()
    expect(map.get('big')?.state).toBe('done')
    expect(map.get('running')?.state).toBe('in_flight')
  })

  it('gives bytes back when entries expire or are dropped', () => {
    let now = 0
    const map = new IdempotencyMap<string>(() => now, 1_000_000)
    map.begin('a', 'a')
    map.finish('a', true, reply(100))
    map.begin('b', 'b')
    map.finish('b', false, new Error('boom'))
    expect(map.size().bytes).toBeGreaterThan(100)
    map.drop('b')
    now = IDEMPOTENCY_TTL_MS + 1
    expect(map.get('a')).toBeUndefined()
    expect(map.size()).toEqual({completed: 0, bytes: 0})
  })

  it('still caps the number of completed entries', () => {
    const map = new IdempotencyMap<number>(() => 0)
    for (let i = 0; i <= IDEMPOTENCY_MAX_COMPLETED; i++) {
      map.begin(`k${i}`, i)
      map.finish(`k${i}`, true, i)
    }
    expect(map.get('k0')).toBeUndefined()
    expect(map.get(`k${IDEMPOTENCY_MAX_COMPLETED}`)?.state).toBe('done')
    expect(map.size().completed).toBe(IDEMPOTENCY_MAX_COMPLETED)
  })
})
