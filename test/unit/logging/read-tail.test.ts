import {appendFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {parseLogLine, readLogTail} from '../../../src/runtime/logging/read-tail.js'

let root: string
let file: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-tail-'))
  file = path.join(root, 'openclaw-2026-05-01.log')
})
afterEach(() => {
  rmSync(root, {recursive: true, force: true})
})

const lines = (...names: string[]) => names.map((n) => `${n}\n`).join('')
const defaults = {limit: 500, maxBytes: 250_000}

describe('readLogTail (protocol.md §6.4)', () => {
  it('answers an empty result when the file does not exist yet', async () => {
    expect(await readLogTail({file, ...defaults})).toEqual({file, cursor: 0, size: 0, lines: []})
  })

  it('reads everything without a cursor and returns the end as the cursor', async () => {
    writeFileSync(file, lines('a', 'b', 'c'))
    expect(await readLogTail({file, ...defaults})).toEqual({file, cursor: 6, size: 6, lines: ['a', 'b', 'c']})
  })

  it('returns only appended lines when given the previous cursor', async () => {
    writeFileSync(file, lines('a', 'b'))
    const first = await readLogTail({file, ...defaults})
    appendFileSync(file, lines('c', 'd'))
    expect(await readLogTail({file, cursor: first.cursor, ...defaults})).toEqual({file, cursor: 8, size: 8, lines: ['c', 'd']})
    expect(await readLogTail({file, cursor: 8, ...defaults})).toEqual({file, cursor: 8, size: 8, lines: []})
  })

  it('holds back a last line without a newline until it is complete', async () => {
    writeFileSync(file, 'a\nbb')
    const first = await readLogTail({file, ...defaults})
    expect(first).toEqual({file, cursor: 2, size: 4, lines: ['a']})
    appendFileSync(file, 'b\n')
    expect(await readLogTail({file, cursor: first.cursor, ...defaults})).toEqual({file, cursor: 6, size: 6, lines: ['bbb']})
  })

  it('reads the last maxBytes without a cursor and drops the partial first line', async () => {
    writeFileSync(file, lines('first-line', 'second', 'third'))
    // The last 10 bytes start inside "second".
    expect(await readLogTail({file, limit: 500, maxBytes: 10})).toEqual({file, cursor: 24, size: 24, lines: ['third']})
  })

  it('keeps the first line when the window starts exactly on a line boundary', async () => {
    writeFileSync(file, lines('aaaa', 'bbbb'))
    expect(await readLogTail({file, limit: 500, maxBytes: 5})).toEqual({file, cursor: 10, size: 10, lines: ['bbbb']})
  })

  it('jumps ahead with truncated and skippedBytes when more than maxBytes are unread', async () => {
    writeFileSync(file, lines('a'))
    appendFileSync(file, lines('x'.repeat(20), 'y'.repeat(20), 'zz'))
    const result = await readLogTail({file, cursor: 2, limit: 500, maxBytes: 10})
    expect(result).toEqual({file, cursor: 47, size: 47, lines: ['zz'], truncated: true, skippedBytes: 35})
  })

  it('returns the last `limit` lines with truncated when over the limit', async () => {
    writeFileSync(file, lines('1', '2', '3', '4', '5'))
    expect(await readLogTail({file, limit: 2, maxBytes: 1000})).toEqual({file, cursor: 10, size: 10, lines: ['4', '5'], truncated: true})
  })

  it.each<[string, () => void, number]>([
    ['shrunk (truncated in place)', () => writeFileSync(file, lines('n')), 100],
    ['replaced by a smaller file', () => {
      rmSync(file)
      writeFileSync(file, lines('n'))
    }, 100],
  ])('resets when the file was %s', async (_name, change, cursor) => {
    writeFileSync(file, 'x'.repeat(99) + '\n')
    change()
    expect(await readLogTail({file, cursor, ...defaults})).toEqual({file, cursor: 2, size: 2, lines: ['n'], reset: true})
  })

  it('resets when the file name differs from the previous answer (day rollover)', async () => {
    writeFileSync(file, lines('new-day'))
    const result = await readLogTail({file, cursor: 3, previousFile: path.join(root, 'openclaw-2026-04-30.log'), ...defaults})
    expect(result).toEqual({file, cursor: 8, size: 8, lines: ['new-day'], reset: true})
  })

  it('handles multi-byte characters at the window edge without garbling kept lines', async () => {
    writeFileSync(file, lines('ééééé', 'ok'))
    expect(await readLogTail({file, limit: 500, maxBytes: 5})).toEqual({file, cursor: 14, size: 14, lines: ['ok']})
  })

  it('advances the cursor past a dropped partial line with no complete line after it', async () => {
    writeFileSync(file, lines('x'.repeat(30)) + 'tail')
    expect(await readLogTail({file, limit: 500, maxBytes: 10})).toEqual({file, cursor: 31, size: 35, lines: []})
  })

  it('throws LOG_FILE_UNREADABLE for a file it may not read', async () => {
    if (process.getuid?.() === 0) {
      // root reads anything: a directory stands in for the unreadable file.
      const dirAsFile = path.join(root, 'dir.log')
      const {mkdirSync} = await import('node:fs')
      mkdirSync(dirAsFile)
      await expect(readLogTail({file: dirAsFile, ...defaults})).rejects.toMatchObject({code: 'LOG_FILE_UNREADABLE'})
      return
    }
    writeFileSync(file, 'a\n')
    chmodSync(file, 0o000)
    await expect(readLogTail({file, ...defaults})).rejects.toMatchObject({code: 'LOG_FILE_UNREADABLE'})
  })
})

describe('parseLogLine', () => {
  it.each<[string, string, {time: string | null; level: string | null; subsystem: string | null; message: string}]>([
    [
      'our record',
      '{"time":"2026-05-01T10:15:00.123+02:00","level":"warn","subsystem":"gateway/ws","message":"slow","pid":1,"_meta":{"logLevelName":"WARN","name":"gateway/ws","date":"2026-05-01T08:15:00.123Z"}}',
      {time: '2026-05-01T10:15:00.123+02:00', level: 'warn', subsystem: 'gateway/ws', message: 'slow'},
    ],
    [
      'upstream tslog line',
      '{"0":"{\\"subsystem\\":\\"gateway/ws\\"}","1":"webchat connected","_meta":{"logLevelName":"INFO","name":"{\\"subsystem\\":\\"gateway/ws\\"}","date":"2026-05-01T08:15:00.123Z"},"time":"2026-05-01T08:15:00.123Z"}',
      {time: '2026-05-01T08:15:00.123Z', level: 'info', subsystem: 'gateway/ws', message: 'webchat connected'},
    ],
    ['plain text', 'Error: something odd', {time: null, level: null, subsystem: null, message: 'Error: something odd'}],
    ['JSON that is not an object', '[1,2]', {time: null, level: null, subsystem: null, message: '[1,2]'}],
    ['broken JSON', '{"time":"2026', {time: null, level: null, subsystem: null, message: '{"time":"2026'}],
  ])('%s', (_name, raw, expected) => {
    expect(parseLogLine(raw)).toEqual({...expected, raw})
  })
})
