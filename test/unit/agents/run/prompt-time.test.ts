import {afterEach, describe, expect, it} from 'vitest'

import {formatHostTime, formatPromptTime} from '../../../../src/runtime/agents/run/prompt-time.js'

const at = new Date('2026-12-04T20:28:00Z')
const savedTz = process.env.TZ

afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

describe('formatPromptTime', () => {
  // Node re-reads TZ when it changes, so the host-zone form is checked in several zones.
  it.each([
    {tz: 'UTC', expected: 'Friday, 4 December 2026 at 20:28 UTC'},
    {tz: 'Asia/Kolkata', expected: 'Saturday, 5 December 2026 at 01:58 GMT+05:30'},
    {tz: 'America/St_Johns', expected: 'Friday, 4 December 2026 at 16:58 GMT-03:30'},
  ])('host zone $tz without Intl', ({tz, expected}) => {
    process.env.TZ = tz
    expect(formatHostTime(at)).toBe(expected)
    expect(formatPromptTime(at)).toBe(expected)
  })

  it('uses the configured zone through Intl, in the same en-GB long form', () => {
    expect(formatPromptTime(at, 'Europe/Berlin')).toBe('Friday, 4 December 2026 at 21:28 CET')
  })

  it('falls back to the host zone for a zone Intl rejects', () => {
    process.env.TZ = 'UTC'
    expect(formatPromptTime(at, 'Mars/Olympus')).toBe('Friday, 4 December 2026 at 20:28 UTC')
  })
})
