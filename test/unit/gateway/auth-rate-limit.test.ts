import {describe, expect, it} from 'vitest'

import {AuthRateLimiter} from '../../../src/runtime/gateway/server/auth-rate-limit.js'

function clock(start = 1_000_000) {
  let t = start
  return {now: () => t, advance: (ms: number) => void (t += ms)}
}

describe('AuthRateLimiter (protocol §4.2)', () => {
  it('locks a remote IP after 10 failures within 60 s, for 300 s', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({}, c.now)
    for (let i = 0; i < 9; i++) {
      expect(limiter.recordFailure('10.0.0.1', false)).toBe(0)
      c.advance(1000)
    }
    expect(limiter.check('10.0.0.1', false)).toEqual({locked: false})
    limiter.recordFailure('10.0.0.1', false)
    expect(limiter.check('10.0.0.1', false)).toEqual({locked: true, retryAfterMs: 300_000})
    c.advance(120_000)
    expect(limiter.check('10.0.0.1', false)).toEqual({locked: true, retryAfterMs: 180_000})
    c.advance(180_000)
    expect(limiter.check('10.0.0.1', false)).toEqual({locked: false})
    // Other IPs are unaffected.
    expect(limiter.check('10.0.0.2', false)).toEqual({locked: false})
  })

  it('uses a sliding window: failures older than 60 s do not count', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({}, c.now)
    for (let i = 0; i < 9; i++) limiter.recordFailure('10.0.0.1', false)
    c.advance(60_001)
    limiter.recordFailure('10.0.0.1', false)
    expect(limiter.check('10.0.0.1', false).locked).toBe(false)
  })

  it('honours custom settings', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({maxAttempts: 2, windowMs: 1000, lockoutMs: 5000}, c.now)
    limiter.recordFailure('ip', false)
    limiter.recordFailure('ip', false)
    expect(limiter.check('ip', false)).toEqual({locked: true, retryAfterMs: 5000})
  })

  it.each([
    [1, 250], [2, 500], [3, 1000], [4, 2000], [5, 4000], [6, 5000], [12, 5000],
  ])('exempt loopback: failure #%i waits %i ms and is never locked out', (n, delay) => {
    const c = clock()
    const limiter = new AuthRateLimiter({}, c.now)
    let last = 0
    for (let i = 0; i < n; i++) {
      last = limiter.recordFailure('127.0.0.1', true)
      c.advance(100)
    }
    expect(last).toBe(delay)
    expect(limiter.check('127.0.0.1', true)).toEqual({locked: false})
  })

  it.each([
    ['a success', (l: AuthRateLimiter, _c: ReturnType<typeof clock>) => l.recordSuccess('127.0.0.1')],
    ['60 s without failures', (_l: AuthRateLimiter, c: ReturnType<typeof clock>) => c.advance(60_001)],
  ])('exempt streak resets after %s', (_name, reset) => {
    const c = clock()
    const limiter = new AuthRateLimiter({}, c.now)
    for (let i = 0; i < 4; i++) limiter.recordFailure('127.0.0.1', true)
    reset(limiter, c)
    expect(limiter.recordFailure('127.0.0.1', true)).toBe(250)
  })

  it('treats exempt clients like any other when exemptLoopback is false', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({exemptLoopback: false, maxAttempts: 3}, c.now)
    for (let i = 0; i < 3; i++) expect(limiter.recordFailure('127.0.0.1', true)).toBe(0)
    expect(limiter.check('127.0.0.1', true).locked).toBe(true)
  })

  it('a success clears the failure count', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({maxAttempts: 3}, c.now)
    limiter.recordFailure('ip', false)
    limiter.recordFailure('ip', false)
    limiter.recordSuccess('ip')
    limiter.recordFailure('ip', false)
    limiter.recordFailure('ip', false)
    expect(limiter.check('ip', false).locked).toBe(false)
  })

  it('tracks at most maxTrackedIps, evicting the least recently failed', () => {
    const c = clock()
    const limiter = new AuthRateLimiter({maxAttempts: 1}, c.now, 3)
    for (const ip of ['a', 'b', 'c']) limiter.recordFailure(ip, false)
    limiter.recordFailure('a', false) // touch a: b is now the oldest
    limiter.recordFailure('d', false)
    expect(limiter.size).toBe(3)
    expect(limiter.check('b', false).locked).toBe(false)
    expect(limiter.check('a', false).locked).toBe(true)
  })
})
