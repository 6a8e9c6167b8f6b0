import {chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {
  checkLogDir,
  datedLogFileName,
  dateOfLogFileName,
  ensureLogDir,
  resolveLogFile,
  type LogFileInputs,
} from '../../../src/runtime/logging/log-file-path.js'

const uid = process.getuid?.() ?? null
const now = new Date(2026, 4, 1, 10, 15, 0)
let root: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-logpath-'))
})
afterEach(() => {
  rmSync(root, {recursive: true, force: true})
})

function inputs(overrides: Partial<LogFileInputs> = {}): LogFileInputs {
  return {
    profile: null,
    now,
    tmpdir: path.join(root, 'tmpdir'),
    uid,
    home: '/home/ana',
    stateDir: '/home/ana/.openclaw',
    preferredDir: path.join(root, 'openclaw'),
    ...overrides,
  }
}

describe('file names', () => {
  it.each<[string | null, string]>([
    [null, 'openclaw-2026-05-01.log'],
    ['work', 'openclaw-work-2026-05-01.log'],
  ])('profile %s → %s', (profile, name) => {
    expect(datedLogFileName(profile, now)).toBe(name)
  })

  it('uses the host-local date, not the UTC one', () => {
    const lateEvening = new Date(2026, 11, 31, 23, 59, 59)
    expect(datedLogFileName(null, lateEvening)).toBe('openclaw-2026-12-31.log')
  })

  it.each<[string, string | null]>([
    ['openclaw-2026-04-27.log', '2026-04-27'],
    ['openclaw-work-2026-04-27.log.1', '2026-04-27'],
    ['openclaw-2026-04-27.log.2', '2026-04-27'],
    ['openclaw.log', null],
    ['other-2026-04-27.log', null],
    ['openclaw-2026-04-27.txt', null],
  ])('dateOfLogFileName(%s)', (name, date) => {
    const parsed = dateOfLogFileName(name)
    expect(parsed === null ? null : datedLogFileName(null, parsed).slice(9, 19)).toBe(date)
  })
})

describe('resolveLogFile (config.md §12)', () => {
  it('uses the preferred dir when it does not exist yet', () => {
    expect(resolveLogFile(inputs())).toEqual({file: path.join(root, 'openclaw', 'openclaw-2026-05-01.log'), dir: path.join(root, 'openclaw'), dated: true})
  })

  it('puts the profile in the name', () => {
    expect(path.basename(resolveLogFile(inputs({profile: 'work'})).file)).toBe('openclaw-work-2026-05-01.log')
  })

  it('uses the preferred dir when it is ours and 0700', () => {
    mkdirSync(path.join(root, 'openclaw'), {mode: 0o700})
    expect(resolveLogFile(inputs()).fallbackReason).toBeUndefined()
  })

  const unsafe: Array<[string, () => void, string]> = [
    ['a symlink', () => {
      mkdirSync(path.join(root, 'elsewhere'), {mode: 0o700})
      symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'openclaw'))
    }, 'is a symlink'],
    ['world-writable', () => {
      mkdirSync(path.join(root, 'openclaw'))
      chmodSync(path.join(root, 'openclaw'), 0o777)
    }, 'writable by other users (mode 777)'],
    ['group-writable', () => {
      mkdirSync(path.join(root, 'openclaw'))
      chmodSync(path.join(root, 'openclaw'), 0o770)
    }, 'writable by other users (mode 770)'],
    ['a regular file', () => writeFileSync(path.join(root, 'openclaw'), ''), 'is not a directory'],
  ]
  it.each(unsafe)('falls back to <tmpdir>/openclaw-<uid> when /tmp/openclaw is %s', (_name, setup, reason) => {
    setup()
    const location = resolveLogFile(inputs())
    expect(location.dir).toBe(path.join(root, 'tmpdir', `openclaw-${uid}`))
    expect(location.file).toBe(path.join(root, 'tmpdir', `openclaw-${uid}`, 'openclaw-2026-05-01.log'))
    expect(location.dated).toBe(true)
    expect(location.fallbackReason).toContain(reason)
  })

  it('falls back when the dir belongs to another user', () => {
    mkdirSync(path.join(root, 'openclaw'), {mode: 0o700})
    const location = resolveLogFile(inputs({uid: (uid ?? 0) + 1}))
    expect(location.fallbackReason).toMatch(/is owned by uid \d+, not \d+/)
  })

  it.each<[string, string]>([
    ['/var/log/openclaw.log', '/var/log/openclaw.log'],
    ['~/logs/oc.log', '/home/ana/logs/oc.log'],
    ['logs/oc.log', '/home/ana/.openclaw/logs/oc.log'],
  ])('logging.file %s replaces the whole default → %s', (file, expected) => {
    expect(resolveLogFile(inputs({logging: {file}, profile: 'work'}))).toEqual({file: expected, dir: path.dirname(expected), dated: false})
  })
})

describe('checkLogDir', () => {
  it('treats a missing dir as safe to create', () => {
    expect(checkLogDir(path.join(root, 'nope'), uid)).toEqual({safe: true, exists: false})
  })
})

describe('ensureLogDir', () => {
  it('creates the default dir 0700 even under a loose umask', () => {
    const previous = process.umask(0o000)
    try {
      ensureLogDir(resolveLogFile(inputs()), uid)
    } finally {
      process.umask(previous)
    }
    expect(statSync(path.join(root, 'openclaw')).mode & 0o777).toBe(0o700)
  })

  it('refuses a fallback dir that is itself unsafe', () => {
    const location = {dir: path.join(root, 'shared'), file: path.join(root, 'shared', 'x.log'), dated: true}
    mkdirSync(location.dir)
    chmodSync(location.dir, 0o777)
    expect(() => ensureLogDir(location, uid)).toThrow(expect.objectContaining({code: 'LOG_FILE_UNWRITABLE', message: expect.stringContaining('writable by other users')}))
  })

  it('creates a logging.file parent recursively', () => {
    const file = path.join(root, 'a', 'b', 'oc.log')
    ensureLogDir({file, dir: path.dirname(file), dated: false}, uid)
    expect(statSync(path.dirname(file)).isDirectory()).toBe(true)
  })
})
