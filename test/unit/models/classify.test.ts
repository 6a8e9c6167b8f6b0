import {describe, expect, it} from 'vitest'

import {backoffDelayMs, chatErrorKind, classify} from '../../../src/runtime/models/classify.js'
import {KeyPool} from '../../../src/runtime/models/key-pool.js'
import {kindForHttpError, kindForStreamError, parseRetryAfter} from '../../../src/runtime/models/model-error.js'
import {SseParser} from '../../../src/runtime/models/sse.js'

const headers = (values: Record<string, string>) => (name: string) => values[name]

describe('classify (runtime.md §8.4)', () => {
  it.each([
    ['429 with another key free rotates', {kind: 'rate_limit', otherKeyFree: true}, 'rotate'],
    ['429 with no free key retries', {kind: 'rate_limit', otherKeyFree: false}, 'retry'],
    ['429 asking for more than 60 s falls back', {kind: 'rate_limit', otherKeyFree: false, retryAfterMs: 61_000}, 'fallback'],
    ['5xx retries', {kind: 'server', otherKeyFree: false}, 'retry'],
    ['529 overloaded retries', {kind: 'overloaded', otherKeyFree: true}, 'retry'],
    ['network error retries', {kind: 'network', otherKeyFree: false}, 'retry'],
    ['idle timeout retries', {kind: 'timeout', otherKeyFree: false}, 'retry'],
    ['context overflow compacts', {kind: 'context_overflow', otherKeyFree: false}, 'compact'],
    ['401 with only this key falls back', {kind: 'auth', otherKeyFree: false}, 'fallback'],
    ['401 with another key rotates', {kind: 'auth', otherKeyFree: true}, 'rotate'],
    ['404 falls back', {kind: 'not_found', otherKeyFree: true}, 'fallback'],
    ['402 billing falls back', {kind: 'billing', otherKeyFree: false}, 'fallback'],
    ['other 400 is fatal', {kind: 'bad_request', otherKeyFree: true}, 'fatal'],
    ['aborted stops', {kind: 'aborted', otherKeyFree: true}, 'stop'],
  ] as const)('%s', (_name, input, expected) => {
    expect(classify(input)).toBe(expected)
  })

  it.each([
    [429, '{}', 'rate_limit'],
    [400, '{"error":{"code":"context_length_exceeded"}}', 'context_overflow'],
    [400, 'prompt is too long: 250000 tokens > 200000 maximum', 'context_overflow'],
    [413, 'request_too_large', 'context_overflow'],
    [400, '{"error":{"message":"bad field"}}', 'bad_request'],
    [401, '', 'auth'], [403, '', 'auth'], [402, '', 'billing'], [404, '', 'not_found'],
    [400, 'The model `x` does not exist', 'not_found'],
    [408, '', 'server'], [425, '', 'server'], [500, '', 'server'], [503, '', 'server'], [529, '', 'overloaded'],
    [400, 'quota exceeded', 'rate_limit'],
  ] as const)('HTTP %i %s -> %s', (status, body, kind) => {
    expect(kindForHttpError(status, body)).toBe(kind)
  })

  it.each([
    ['overloaded_error', 'Overloaded', 'overloaded'],
    ['rate_limit_error', 'slow down', 'rate_limit'],
    ['server_error', 'boom', 'server'],
    ['invalid_request_error', 'prompt is too long', 'context_overflow'],
  ] as const)('stream error %s -> %s', (type, message, kind) => {
    expect(kindForStreamError(type, message)).toBe(kind)
  })

  it('chat errorKind for final failures', () => {
    expect(['rate_limit', 'timeout', 'context_overflow', 'server'].map((k) => chatErrorKind(k as never))).toEqual(['rate_limit', 'timeout', 'context_length', 'unknown'])
  })
})

describe('backoff', () => {
  it.each([
    [1, 0, undefined, 500], [1, 0.999, undefined, 1000], [2, 0, undefined, 1000], [3, 0.5, undefined, 3000],
    [10, 0, undefined, 15_000], [10, 1, undefined, 30_000],
    [1, 0, 1000, 1000], [1, 0, 5000, 5000], [1, 0, 120_000, 60_000], [3, 1, 100, 4000],
  ])('attempt %i, random %f, retry-after %s -> %i ms', (attempt, random, retryAfter, expected) => {
    expect(backoffDelayMs(attempt, random, retryAfter)).toBe(expected)
  })

  it('parses retry-after-ms, retry-after seconds and HTTP dates', () => {
    const now = Date.parse('2026-12-04T12:00:00Z')
    expect(parseRetryAfter(headers({'retry-after-ms': '1500', 'retry-after': '9'}), now)).toBe(1500)
    expect(parseRetryAfter(headers({'retry-after': '2'}), now)).toBe(2000)
    expect(parseRetryAfter(headers({'retry-after': 'Fri, 04 Dec 2026 12:00:05 GMT'}), now)).toBe(5000)
    expect(parseRetryAfter(headers({'retry-after': 'soon'}), now)).toBeUndefined()
    expect(parseRetryAfter(headers({}), now)).toBeUndefined()
  })
})

describe('key pool', () => {
  const keys = [{key: 'k1', source: 'a'}, {key: 'k2', source: 'b'}, {key: 'k3', source: 'c'}]

  it('keeps the current key until it cools down, then moves to the next free one', () => {
    const pool = new KeyPool(keys)
    expect(pool.pick(0)?.key).toBe('k1')
    expect(pool.pick(10)?.key).toBe('k1')
    pool.coolDown('k1', 1000)
    expect(pool.pick(10)?.key).toBe('k2')
    expect(pool.pick(2000)?.key).toBe('k2')
  })

  it('disabled keys are skipped for good; waitMs reports the soonest cooled key', () => {
    const pool = new KeyPool(keys)
    pool.disable('k1')
    pool.coolDown('k2', 500)
    pool.coolDown('k3', 300)
    expect(pool.pick(0)).toBeUndefined()
    expect(pool.waitMs(100)).toBe(200)
    expect(pool.hasOtherFree('k2', 400)).toBe(true)
    pool.disable('k2')
    pool.disable('k3')
    expect(pool.waitMs(0)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('SSE parser', () => {
  it('splits events across arbitrary chunk boundaries and line endings', () => {
    const parser = new SseParser()
    const input = 'event: a\r\ndata: one\r\n\r\n: comment\ndata: {"x"\ndata: :1}\n\ndata:no-space\r\rdata: tail'
    const events = [...input].flatMap((ch) => parser.push(ch))
    events.push(...parser.end())
    expect(events).toEqual([{event: 'a', data: 'one'}, {event: '', data: '{"x"\n:1}'}, {event: '', data: 'no-space'}, {event: '', data: 'tail'}])
  })
})
