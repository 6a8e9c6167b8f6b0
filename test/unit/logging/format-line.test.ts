import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {describeError, formatLocalIso, formatLogLine, MAX_LINE_BYTES, type LogRecord} from '../../../src/runtime/logging/format-line.js'

const savedTz = process.env.TZ
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin'
})
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

const at = (iso: string) => new Date(iso)

describe('formatLocalIso', () => {
  it.each<[string, string, string]>([
    ['summer (CEST)', '2026-05-01T08:15:00.123Z', '2026-05-01T10:15:00.123+02:00'],
    ['winter (CET)', '2026-01-15T23:30:05.007Z', '2026-01-16T00:30:05.007+01:00'],
    ['zero milliseconds', '2026-05-01T08:15:00.000Z', '2026-05-01T10:15:00.000+02:00'],
  ])('%s', (_name, utc, local) => {
    expect(formatLocalIso(at(utc))).toBe(local)
    expect(new Date(local).getTime()).toBe(at(utc).getTime())
  })

  it('writes negative offsets with minutes', () => {
    process.env.TZ = 'America/St_Johns'
    try {
      expect(formatLocalIso(at('2026-01-15T12:00:00.000Z'))).toBe('2026-01-15T08:30:00.000-03:30')
    } finally {
      process.env.TZ = 'Europe/Berlin'
    }
  })
})

const base: LogRecord = {time: at('2026-05-01T08:15:00.123Z'), level: 'info', subsystem: 'gateway/ws', message: 'client connected', pid: 4242}

describe('formatLogLine (config.md §12)', () => {
  it('writes the fixed fields, in order, with _meta', () => {
    expect(formatLogLine(base)).toBe(
      '{"time":"2026-05-01T10:15:00.123+02:00","level":"info","subsystem":"gateway/ws","message":"client connected","pid":4242,' +
        '"_meta":{"logLevelName":"INFO","name":"gateway/ws","date":"2026-05-01T08:15:00.123Z"}}',
    )
  })

  it('adds correlation ids, data and err when present', () => {
    const parsed = JSON.parse(formatLogLine({...base, level: 'error', connId: 'c1', sessionKey: 'agent:main:main', data: {port: 18789}, err: {name: 'Error', message: 'x', code: 'EADDRINUSE'}}))
    expect(parsed).toMatchObject({connId: 'c1', sessionKey: 'agent:main:main', data: {port: 18789}, err: {name: 'Error', message: 'x', code: 'EADDRINUSE'}, _meta: {logLevelName: 'ERROR'}})
    expect(parsed.truncated).toBeUndefined()
  })

  it.each<[string, string]>([
    ['ASCII', 'a'],
    ['multi-byte', 'é'],
    ['astral (surrogate pairs)', '😀'],
    ['needs JSON escaping', '"\n'],
  ])('cuts a too-long %s message to ≤ 64 KiB with truncated:true', (_name, unit) => {
    const message = unit.repeat(Math.ceil(200_000 / unit.length))
    const line = formatLogLine({...base, message})
    expect(Buffer.byteLength(line + '\n')).toBeLessThanOrEqual(MAX_LINE_BYTES)
    expect(Buffer.byteLength(line + '\n')).toBeGreaterThan(MAX_LINE_BYTES - 16)
    const parsed = JSON.parse(line)
    expect(parsed.truncated).toBe(true)
    expect(message.startsWith(parsed.message)).toBe(true)
    expect(parsed.message).not.toMatch(/[\uD800-\uDBFF]$/)
  })

  it('drops the stack, then data, when they alone are too big', () => {
    const line = formatLogLine({...base, message: 'short', data: {blob: 'x'.repeat(100_000)}, err: {name: 'Error', message: 'boom', stack: 's'.repeat(100_000)}})
    const parsed = JSON.parse(line)
    expect(Buffer.byteLength(line)).toBeLessThan(MAX_LINE_BYTES)
    expect(parsed).toMatchObject({message: 'short', truncated: true, err: {name: 'Error', message: 'boom'}})
    expect(parsed.data).toBeUndefined()
    expect(parsed.err.stack).toBeUndefined()
  })

  it('keeps data and cuts the message when the message is the bulk', () => {
    const parsed = JSON.parse(formatLogLine({...base, message: 'm'.repeat(100_000), data: {keep: 'me'}}))
    expect(parsed.data).toEqual({keep: 'me'})
    expect(parsed.truncated).toBe(true)
  })

  it('honours a custom byte limit', () => {
    const line = formatLogLine({...base, message: 'x'.repeat(1000)}, 400)
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(400)
  })
})

describe('describeError', () => {
  it('keeps name, message and code; the stack only when asked', () => {
    const error = Object.assign(new Error('listen EADDRINUSE'), {code: 'EADDRINUSE'})
    expect(describeError(error, false)).toEqual({name: 'Error', message: 'listen EADDRINUSE', code: 'EADDRINUSE'})
    expect(describeError(error, true).stack).toContain('listen EADDRINUSE')
  })

  it('describes thrown non-errors', () => {
    expect(describeError('plain', false)).toEqual({name: 'NonError', message: 'plain'})
    expect(describeError({a: 1}, false)).toEqual({name: 'NonError', message: '{"a":1}'})
  })
})
