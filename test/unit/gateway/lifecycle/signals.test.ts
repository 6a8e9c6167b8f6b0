import {describe, expect, it} from 'vitest'

import {forcedExitCode, installSignalRoutes} from '../../../../src/runtime/gateway/lifecycle/signals.js'

describe('signals (operations.md §3.4)', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('a second %s during drain exits %i', (signal, code) => {
    expect(forcedExitCode(signal)).toBe(code)
  })

  it('routes each signal to its callback and uninstalls cleanly', () => {
    const seen: string[] = []
    const before = process.listenerCount('SIGHUP')
    const uninstall = installSignalRoutes({
      stop: (s) => seen.push(`stop:${s}`),
      reload: () => seen.push('reload'),
      restart: (s) => seen.push(`restart:${s}`),
      fatal: () => seen.push('fatal'),
    })
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) process.emit(signal, signal)
    expect(seen).toEqual(['stop:SIGTERM', 'stop:SIGINT', 'reload', 'restart:SIGUSR1', 'restart:SIGUSR2'])
    uninstall()
    expect(process.listenerCount('SIGHUP')).toBe(before)
  })
})
