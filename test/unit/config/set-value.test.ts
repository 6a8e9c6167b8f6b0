import {describe, expect, it} from 'vitest'

import {parseSetValue} from '../../../src/runtime/config/edit/config-set.js'

describe('parseSetValue (config set <path> <value>)', () => {
  it.each<[string, string, boolean, unknown]>([
    ['a number', '19000', false, 19000],
    ['a boolean', 'true', false, true],
    ['null', 'null', false, null],
    ['a JSON5 object', '{mode: "idle", idleMinutes: 30}', false, {mode: 'idle', idleMinutes: 30}],
    ['an array', '["a", "b"]', false, ['a', 'b']],
    ['plain text, taken as a string', 'openai/gpt-4o', false, 'openai/gpt-4o'],
    ['a quoted string', '"lan"', false, 'lan'],
    ['leading zeros in a string slot', '0123', true, '0123'],
    ['"true" in a string slot', 'true', true, 'true'],
    ['a number in a string slot', '123456', true, '123456'],
    ['a quoted string in a string slot loses its quotes', '"abc"', true, 'abc'],
    ['${VAR} in a string slot', '${TG_TOKEN}', true, '${TG_TOKEN}'],
  ])('%s', (_name, raw, stringOnly, expected) => {
    expect(parseSetValue(raw, {strictJson: false, stringOnly})).toEqual(expected)
  })

  it.each([['lan'], ['{a: '], ['0123']])('--strict-json refuses %j with exit 2', (raw) => {
    expect(() => parseSetValue(raw, {strictJson: true, stringOnly: false})).toThrow(expect.objectContaining({code: 'CONFIG_VALUE_INVALID', exitCode: 2}))
  })

  it('--strict-json parses a string slot as JSON5 too', () => {
    expect(parseSetValue('"0123"', {strictJson: true, stringOnly: true})).toBe('0123')
  })
})
