import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createConsoleSink, formatClock, formatConsoleLine, type ConsoleFormat} from '../../../src/runtime/logging/console-sink.js'
import {formatLogLine, type LogRecord} from '../../../src/runtime/logging/format-line.js'

const savedTz = process.env.TZ
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin'
})
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

const record: LogRecord = {time: new Date('2026-05-01T08:15:00.123Z'), level: 'warn', subsystem: 'gateway/ws', message: 'slow client', pid: 7, connId: 'c1', data: {bufferedBytes: 2048, peer: '127.0.0.1:5555', note: 'two words'}}

describe('formatConsoleLine', () => {
  it.each<[string, ConsoleFormat, string]>([
    ['pretty without colour', {style: 'pretty', color: false}, '10:15:00.123 WARN  gateway/ws slow client connId=c1 bufferedBytes=2048 peer=127.0.0.1:5555 note="two words"\n'],
    ['compact', {style: 'compact', color: false}, '2026-05-01T10:15:00.123+02:00 WARN gateway/ws: slow client connId=c1 bufferedBytes=2048 peer=127.0.0.1:5555 note="two words"\n'],
    ['compact ignores colour', {style: 'compact', color: true}, '2026-05-01T10:15:00.123+02:00 WARN gateway/ws: slow client connId=c1 bufferedBytes=2048 peer=127.0.0.1:5555 note="two words"\n'],
  ])('%s', (_name, format, expected) => {
    expect(formatConsoleLine(record, formatLogLine(record), format)).toBe(expected)
  })

  it('json writes the stored line', () => {
    expect(formatConsoleLine(record, formatLogLine(record), {style: 'json', color: false})).toBe(formatLogLine(record) + '\n')
  })

  it('pretty with colour wraps the level in its ANSI colour', () => {
    const line = formatConsoleLine(record, '', {style: 'pretty', color: true})
    expect(line).toContain('\x1b[33mWARN \x1b[0m')
    // eslint-disable-next-line no-control-regex
    expect(line.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatConsoleLine(record, '', {style: 'pretty', color: false}))
  })

  it('neutralizes control characters from log text', () => {
    const line = formatConsoleLine({...record, data: undefined, connId: undefined, message: 'evil \x1b[2J text'}, '', {style: 'pretty', color: false})
    expect(line).toBe('10:15:00.123 WARN  gateway/ws evil \\u001b[2J text\n')
  })

  it('shows err and, when present, the stack on indented lines', () => {
    const line = formatConsoleLine({...record, data: undefined, connId: undefined, level: 'error', err: {name: 'Error', message: 'boom', stack: 'Error: boom\n    at a (x.js:1:1)'}}, '', {style: 'pretty', color: false})
    expect(line).toBe('10:15:00.123 ERROR gateway/ws slow client err="Error: boom"\n    at a (x.js:1:1)\n')
  })
})

describe('createConsoleSink', () => {
  it('writes to the given stream, formatting JSON itself when not handed a line', () => {
    const chunks: string[] = []
    createConsoleSink({stream: {write: (c: string) => chunks.push(c)}, style: 'json', color: false}).write(record)
    expect(JSON.parse(chunks[0])).toMatchObject({level: 'warn', message: 'slow client'})
  })
})

describe('formatClock', () => {
  it('formats local and UTC clocks', () => {
    expect(formatClock(record.time)).toBe('10:15:00.123')
    expect(formatClock(record.time, true)).toBe('08:15:00.123')
  })
})
