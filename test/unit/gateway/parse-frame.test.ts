import {describe, expect, it} from 'vitest'

import {RequestFrameSchema} from '../../../src/runtime/gateway/protocol/frames.js'
import {exceedsJsonDepth, MAX_JSON_DEPTH, parseFrame} from '../../../src/runtime/gateway/protocol/parse-frame.js'

describe('parseFrame (protocol §2.1, §2.4)', () => {
  it.each([
    ['{"type":"req","id":"1","method":"health"}', true, undefined],
    ['{"type":"req","id":"1","method":"health","params":{"probe":true},"traceparent":"00-abc","extra":1}', true, undefined],
    ['{"type":"req","id":"","method":"health"}', false, ''],
    ['{"type":"req","id":"1","method":""}', false, '1'],
    ['{"type":"req","id":"1"}', false, '1'],
    ['{"type":"req","id":7,"method":"health"}', false, undefined],
    ['{"type":"event","id":"9","method":"health"}', false, '9'],
    [`{"type":"req","id":"1","method":"health","traceparent":"${'x'.repeat(129)}"}`, false, '1'],
    ['{"type":"req","id":"1","method":"health","traceparent":5}', false, '1'],
    ['[1,2]', false, undefined],
    ['null', false, undefined],
    ['"req"', false, undefined],
    ['not json', false, undefined],
    ['', false, undefined],
  ])('%s → ok=%s id=%j', (text, ok, id) => {
    const parsed = parseFrame(text)
    expect(parsed.ok).toBe(ok)
    if (!parsed.ok) {
      expect(parsed.id).toBe(id)
      expect(parsed.issues.length).toBeGreaterThan(0)
    }
  })

  it('reports zod issues as path: message', () => {
    const parsed = parseFrame('{"type":"req","id":"1"}')
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.issues).toMatch(/^method: /)
  })

  it('agrees with RequestFrameSchema on random mutations of a valid frame', () => {
    const values: unknown[] = ['', 'x', 0, 1.5, true, null, [], {}, 'req', 'health', 'a'.repeat(129)]
    const keys = ['type', 'id', 'method', 'params', 'traceparent']
    let seed = 42
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let i = 0; i < 3000; i++) {
      const frame: Record<string, unknown> = {type: 'req', id: 'i', method: 'm'}
      for (let k = rand(3); k >= 0; k--) {
        const key = keys[rand(keys.length)]
        if (rand(4) === 0) delete frame[key]
        else frame[key] = values[rand(values.length)]
      }
      const text = JSON.stringify(frame)
      expect(parseFrame(text).ok, text).toBe(RequestFrameSchema.safeParse(frame).success)
    }
  })

  it.each([
    ['shallow', '{"a":[1,{"b":2}]}', false],
    ['exactly the limit', '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), false],
    ['one past the limit', '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), true],
    ['brackets inside strings do not count', JSON.stringify({s: '['.repeat(500)}), false],
    ['escaped quotes stay inside the string', JSON.stringify({s: '\\"' + '['.repeat(500)}), false],
    ['a million levels', '['.repeat(1e6), true],
  ])('exceedsJsonDepth: %s', (_name, text, expected) => {
    expect(exceedsJsonDepth(text)).toBe(expected)
  })

  it('refuses a deeply nested frame without parsing it', () => {
    const deep = `{"type":"req","id":"d","method":"health","params":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`
    expect(parseFrame(deep)).toMatchObject({ok: false, issues: expect.stringContaining('nested deeper')})
  })
})
