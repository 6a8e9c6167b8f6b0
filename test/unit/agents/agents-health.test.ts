import {describe, expect, it} from 'vitest'

import {durationMs} from '../../../src/runtime/agents/agents-health.js'

describe('durationMs (heartbeat.everyMs of the health snapshot)', () => {
  it.each([
    ['30m', 1_800_000],
    ['0m', 0],
    ['250ms', 250],
    ['45s', 45_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['', null],
    ['30', null],
    ['1.5h', null],
    [undefined, null],
  ])('%s -> %s', (input, expected) => {
    expect(durationMs(input)).toBe(expected)
  })
})
