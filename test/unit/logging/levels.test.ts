import {describe, expect, it} from 'vitest'

import {moreVerbose, parseLevelSetting, passesLevel, resolveLogLevels, type LevelSetting, type LogLevel} from '../../../src/runtime/logging/levels.js'

describe('resolveLogLevels (config.md §1.1)', () => {
  it.each<[string, Record<string, string>, {level?: LevelSetting; consoleLevel?: LevelSetting} | undefined, boolean, LevelSetting, LevelSetting]>([
    ['defaults', {}, undefined, false, 'info', 'info'],
    ['config only', {}, {level: 'debug', consoleLevel: 'warn'}, false, 'debug', 'warn'],
    ['env beats config', {OPENCLAW_LOG_LEVEL: 'error'}, {level: 'debug', consoleLevel: 'trace'}, false, 'error', 'error'],
    ['env is case-insensitive', {OPENCLAW_LOG_LEVEL: 'DEBUG'}, undefined, false, 'debug', 'debug'],
    ['empty env counts as unset', {OPENCLAW_LOG_LEVEL: '  '}, {level: 'warn'}, false, 'warn', 'info'],
    ['verbose sets console debug, not file', {}, {level: 'warn', consoleLevel: 'error'}, true, 'warn', 'debug'],
    ['verbose beats a quieter env level on the console', {OPENCLAW_LOG_LEVEL: 'warn'}, undefined, true, 'warn', 'debug'],
    ['verbose keeps an explicit trace', {OPENCLAW_LOG_LEVEL: 'trace'}, undefined, true, 'trace', 'trace'],
    ['silent', {OPENCLAW_LOG_LEVEL: 'silent'}, undefined, false, 'silent', 'silent'],
  ])('%s', (_name, env, logging, verbose, file, console) => {
    expect(resolveLogLevels({env, logging, verbose})).toEqual({file, console})
  })

  it('rejects an unknown level with ENV_INVALID naming the value', () => {
    expect(() => resolveLogLevels({env: {OPENCLAW_LOG_LEVEL: 'loud'}})).toThrow(expect.objectContaining({code: 'ENV_INVALID', message: expect.stringContaining('"loud"')}))
  })
})

describe('level helpers', () => {
  it.each<[LogLevel, LevelSetting, boolean]>([
    ['info', 'info', true],
    ['debug', 'info', false],
    ['fatal', 'error', true],
    ['fatal', 'silent', false],
    ['trace', 'trace', true],
  ])('%s passes %s: %s', (level, min, expected) => {
    expect(passesLevel(level, min)).toBe(expected)
  })

  it('moreVerbose picks the lower threshold', () => {
    expect(moreVerbose('warn', 'debug')).toBe('debug')
    expect(moreVerbose('trace', 'debug')).toBe('trace')
    expect(moreVerbose('silent', 'debug')).toBe('debug')
  })

  it('parseLevelSetting trims and lower-cases, and refuses others', () => {
    expect(parseLevelSetting(' Warn ')).toBe('warn')
    expect(parseLevelSetting('warning')).toBeUndefined()
  })
})
