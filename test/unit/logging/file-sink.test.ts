import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {AppError} from '../../../src/runtime/errors/app-error.js'
import {createFileSink, deleteOldLogFiles, rotateLogFile, type FileSinkOptions} from '../../../src/runtime/logging/file-sink.js'
import {resolveLogFile} from '../../../src/runtime/logging/log-file-path.js'

const uid = process.getuid?.() ?? null
let root: string
let dir: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-sink-'))
  dir = path.join(root, 'openclaw')
})
afterEach(() => {
  rmSync(root, {recursive: true, force: true})
})

function sink(overrides: Partial<FileSinkOptions> = {}) {
  const errors: AppError[] = []
  const s = createFileSink({
    locate: (now) => resolveLogFile({profile: null, now, tmpdir: path.join(root, 'tmp'), uid, home: root, stateDir: root, preferredDir: dir}),
    maxFileBytes: 10_485_760,
    uid,
    onError: (error) => errors.push(error),
    ...overrides,
  })
  return {s, errors}
}

const day1 = new Date(2026, 4, 1, 10, 0, 0)
const read = (file: string) => readFileSync(file, 'utf8')

describe('file sink', () => {
  it('appends lines to the dated file, dir 0700, file 0600', () => {
    const {s, errors} = sink()
    s.write('{"n":1}', day1)
    s.write('{"n":2}', day1)
    s.close()
    const file = path.join(dir, 'openclaw-2026-05-01.log')
    expect(read(file)).toBe('{"n":1}\n{"n":2}\n')
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(errors).toEqual([])
  })

  it('rotates before a write would pass maxFileBytes: file → .1 → .2, the old .2 is deleted', () => {
    const {s} = sink({maxFileBytes: 20})
    const file = path.join(dir, 'openclaw-2026-05-01.log')
    mkdirSync(dir, {mode: 0o700})
    writeFileSync(`${file}.2`, 'oldest\n')
    writeFileSync(`${file}.1`, 'older\n')
    s.write('aaaaaaaaa', day1) // 10 bytes
    s.write('bbbbbbbbb', day1) // 20 bytes: exactly the limit, no rotation
    s.write('ccccccccc', day1) // would be 30: rotate first
    s.close()
    expect(read(file)).toBe('ccccccccc\n')
    expect(read(`${file}.1`)).toBe('aaaaaaaaa\nbbbbbbbbb\n')
    expect(read(`${file}.2`)).toBe('older\n')
    expect(readdirSync(dir).sort()).toEqual(['openclaw-2026-05-01.log', 'openclaw-2026-05-01.log.1', 'openclaw-2026-05-01.log.2'])
  })

  it('writes a single line larger than the limit into an empty file without rotating', () => {
    const {s} = sink({maxFileBytes: 5})
    s.write('0123456789', day1)
    s.close()
    expect(readdirSync(dir)).toEqual(['openclaw-2026-05-01.log'])
  })

  it('does not rotate a file another process already rotated', () => {
    const {s} = sink({maxFileBytes: 25})
    const file = path.join(dir, 'openclaw-2026-05-01.log')
    s.write('aaaaaaaaa', day1)
    s.write('bbbbbbbbb', day1)
    // Another writer rotates the file under us.
    renameSync(file, `${file}.1`)
    writeFileSync(file, '', {mode: 0o600})
    s.write('ccccccccc', day1)
    s.close()
    expect(read(`${file}.1`)).toBe('aaaaaaaaa\nbbbbbbbbb\n')
    expect(read(file)).toBe('ccccccccc\n')
    expect(existsSync(`${file}.2`)).toBe(false)
  })

  it('switches to a new file at local midnight and deletes files older than 3 days', () => {
    mkdirSync(dir, {mode: 0o700})
    for (const name of ['openclaw-2026-04-27.log', 'openclaw-2026-04-28.log', 'openclaw-work-2026-04-26.log.1']) writeFileSync(path.join(dir, name), 'x\n')
    const {s} = sink()
    s.write('day one', new Date(2026, 4, 1, 23, 59, 59, 999))
    expect(readdirSync(dir).sort()).toEqual(['openclaw-2026-04-28.log', 'openclaw-2026-05-01.log'])
    s.write('day two', new Date(2026, 4, 2, 0, 0, 0, 0))
    expect(s.file).toBe(path.join(dir, 'openclaw-2026-05-02.log'))
    s.close()
    expect(read(path.join(dir, 'openclaw-2026-05-01.log'))).toBe('day one\n')
    expect(read(path.join(dir, 'openclaw-2026-05-02.log'))).toBe('day two\n')
    // 04-28 is now 4 days before 05-02.
    expect(readdirSync(dir).sort()).toEqual(['openclaw-2026-05-01.log', 'openclaw-2026-05-02.log'])
  })

  it('reports an unusable directory once and keeps going without a file', () => {
    mkdirSync(path.join(root, 'tmp'), {mode: 0o700})
    symlinkSync(root, dir)
    // The fallback dir is also taken by a symlink: nowhere safe to write.
    symlinkSync(root, path.join(root, 'tmp', `openclaw-${uid}`))
    const {s, errors} = sink()
    s.write('a', day1)
    s.write('b', day1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({code: 'LOG_FILE_UNWRITABLE', message: expect.stringContaining('is a symlink')})
    expect(s.file).toBeNull()
  })

  it('appends 10k lines well under a second', () => {
    const {s} = sink()
    const line = JSON.stringify({time: '2026-05-01T10:15:00.123+02:00', level: 'info', subsystem: 'gateway', message: 'x'.repeat(150), pid: 1})
    const started = performance.now()
    for (let i = 0; i < 10_000; i++) s.write(line, day1)
    const elapsed = performance.now() - started
    s.close()
    expect(statSync(path.join(dir, 'openclaw-2026-05-01.log')).size).toBe((line.length + 1) * 10_000)
    // One syscall per line is ~50 ms here; a sync open/stat per line would be seconds. Slack for loaded CI.
    expect(elapsed).toBeLessThan(2000)
  })
})

describe('deleteOldLogFiles', () => {
  it('keeps today and the 3 days before; leaves foreign names and symlinks alone', () => {
    mkdirSync(dir, {mode: 0o700})
    const names = ['openclaw-2026-05-01.log', 'openclaw-2026-04-28.log', 'openclaw-2026-04-27.log', 'openclaw-2026-04-27.log.2', 'notes-2026-01-01.log', 'openclaw.log']
    for (const name of names) writeFileSync(path.join(dir, name), '')
    symlinkSync(path.join(dir, 'openclaw.log'), path.join(dir, 'openclaw-2026-01-01.log'))
    expect(deleteOldLogFiles(dir, new Date(2026, 4, 1, 9)).sort()).toEqual(['openclaw-2026-04-27.log', 'openclaw-2026-04-27.log.2'])
    expect(readdirSync(dir).sort()).toEqual(['notes-2026-01-01.log', 'openclaw-2026-01-01.log', 'openclaw-2026-04-28.log', 'openclaw-2026-05-01.log', 'openclaw.log'])
  })

  it('returns nothing for a missing dir', () => {
    expect(deleteOldLogFiles(path.join(root, 'none'), day1)).toEqual([])
  })
})

describe('rotateLogFile', () => {
  it('works with no .1 yet', () => {
    const file = path.join(root, 'x.log')
    writeFileSync(file, 'a\n')
    rotateLogFile(file)
    expect(read(`${file}.1`)).toBe('a\n')
    expect(existsSync(file)).toBe(false)
  })
})
