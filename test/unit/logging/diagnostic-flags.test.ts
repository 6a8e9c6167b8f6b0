import {describe, expect, it} from 'vitest'

import {diagnosticFlags, matchesDiagnosticFlag} from '../../../src/runtime/logging/diagnostic-flags.js'

describe('matchesDiagnosticFlag', () => {
  it.each<[string, string[], boolean]>([
    ['telegram/http', ['telegram.http'], true],
    ['telegram/default', ['telegram.*'], true],
    ['telegram/default/http', ['telegram.*'], true],
    ['telegram', ['telegram.*'], true],
    ['gateway/ws', ['telegram.*'], false],
    ['gateway/ws', ['gateway'], true],
    ['gateway', ['gateway.ws'], false],
    ['gatewayx', ['gateway'], false],
    ['anything/at/all', ['*'], true],
    ['telegram/work/http', ['telegram.*.http'], true],
    ['telegram/work/poll', ['telegram.*.http'], false],
    ['Gateway/WS', ['gateway.ws'], true],
    ['gateway/ws', [], false],
  ])('%s with %j → %s', (subsystem, flags, expected) => {
    expect(matchesDiagnosticFlag(subsystem, flags)).toBe(expected)
  })
})

describe('diagnosticFlags', () => {
  it('joins config flags and OPENCLAW_DIAGNOSTICS, deduplicated and lower-cased', () => {
    expect(diagnosticFlags({flags: ['Gateway.ws']}, {OPENCLAW_DIAGNOSTICS: 'telegram.*, gateway.ws,,'})).toEqual(['gateway.ws', 'telegram.*'])
  })

  it('returns nothing when diagnostics are disabled', () => {
    expect(diagnosticFlags({enabled: false, flags: ['*']}, {OPENCLAW_DIAGNOSTICS: '*'})).toEqual([])
  })
})
