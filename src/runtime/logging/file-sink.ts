import {closeSync, fchmodSync, fstatSync, lstatSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {dateOfLogFileName, ensureLogDir, type LogFileLocation} from './log-file-path.js'

/** Dated files in the default location older than this many days are deleted (config.md §12). */
export const LOG_RETENTION_DAYS = 3

export interface FileSinkOptions {
  /** Where the log goes at `now`; asked again at each host-local date change. */
  locate: (now: Date) => LogFileLocation
  /** A write that would pass this size rotates first (`.1` → `.2`). */
  maxFileBytes: number
  uid: number | null
  /** Told once per failure; the sink then stays off until the next date change or `reopen`. */
  onError: (error: AppError) => void
  /** Default LOG_RETENTION_DAYS. */
  retentionDays?: number
}

export interface FileSink {
  /** Appends `line` and a newline synchronously, so nothing is lost when the process dies next. */
  write(line: string, now: Date): void
  /** The file currently open, or null before the first write or after a failure. */
  readonly file: string | null
  /** Closes the file; the next write re-resolves the location (config reload) and reopens. */
  reopen(maxFileBytes?: number): void
  close(): void
}

/**
 * Deletes dated log files (rotated ones included) in `dir` whose name date is more than
 * `retentionDays` days before `now`'s local date. Returns the deleted names. Symlinks and names
 * that are not ours are left alone.
 */
export function deleteOldLogFiles(dir: string, now: Date, retentionDays = LOG_RETENTION_DAYS): string[] {
  const cutoff = new Date(now.getFullYear(), now.getMonth(), now.getDate() - retentionDays).getTime()
  const deleted: string[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return deleted
  }
  for (const name of names) {
    const date = dateOfLogFileName(name)
    if (date === null || date.getTime() >= cutoff) continue
    const file = path.join(dir, name)
    try {
      if (!lstatSync(file).isFile()) continue
      unlinkSync(file)
      deleted.push(name)
    } catch {
      // Another process cleaning up at the same moment got there first; nothing to do.
    }
  }
  return deleted
}

/** Shifts `file` → `.1` → `.2`, dropping the old `.2`. */
export function rotateLogFile(file: string): void {
  rmSync(`${file}.2`, {force: true})
  try {
    renameSync(`${file}.1`, `${file}.2`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  renameSync(file, `${file}.1`)
}

function startOfDay(now: Date, plusDays = 0): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + plusDays).getTime()
}

/**
 * The JSONL file sink (config.md §12): one kept-open descriptor in append mode, size rotation,
 * a new file at local midnight, cleanup of old dated files at open and at each date change.
 * Several processes (gateway, CLI commands) may append to the same file; before rotating, the
 * sink checks the path still names its file, so it never rotates a file another process already did.
 */
export function createFileSink(options: FileSinkOptions): FileSink {
  const retentionDays = options.retentionDays ?? LOG_RETENTION_DAYS
  let maxFileBytes = options.maxFileBytes
  let fd: number | null = null
  let location: LogFileLocation | null = null
  let size = 0
  let dayStart = Number.NaN
  let nextDay = Number.NaN
  let failed = false

  const closeFd = () => {
    if (fd === null) return
    try {
      closeSync(fd)
    } catch {
      // Closing a descriptor that failed to write can fail again; it is gone either way.
    }
    fd = null
  }

  const openFile = (file: string) => {
    fd = openSync(file, 'a', 0o600)
    try {
      fchmodSync(fd, 0o600)
    } catch {
      // Not our file (a shared logging.file): keep its mode.
    }
    size = fstatSync(fd).size
  }

  const fail = (error: unknown, what: string) => {
    closeFd()
    failed = true
    options.onError(
      error instanceof AppError
        ? error
        : new AppError('LOG_FILE_UNWRITABLE', `${what} ${location?.file ?? 'the log file'}: ${(error as Error).message}; file logging is off until the next date change`, {
            hint: ['df -h /tmp', 'openclaw config set logging.file ~/.openclaw/logs/openclaw.log'],
            cause: error,
          }),
    )
  }

  const startDay = (now: Date) => {
    closeFd()
    failed = false
    dayStart = startOfDay(now)
    nextDay = startOfDay(now, 1)
    try {
      location = options.locate(now)
      ensureLogDir(location, options.uid)
      if (location.dated) deleteOldLogFiles(location.dir, now, retentionDays)
      openFile(location.file)
    } catch (error) {
      fail(error, 'cannot open')
    }
  }

  /** Rotates when this write would pass the limit, unless another process already rotated. */
  const makeRoom = (bytes: number) => {
    if (fd === null || location === null || size === 0 || size + bytes <= maxFileBytes) return
    const mine = fstatSync(fd)
    let onDisk
    try {
      onDisk = statSync(location.file)
    } catch {
      onDisk = undefined
    }
    closeFd()
    if (onDisk !== undefined && onDisk.ino === mine.ino && onDisk.dev === mine.dev && onDisk.size > 0 && onDisk.size + bytes > maxFileBytes) {
      rotateLogFile(location.file)
    }
    openFile(location.file)
  }

  return {
    get file() {
      return fd === null ? null : (location?.file ?? null)
    },
    write(line, now) {
      const t = now.getTime()
      if (!(t >= dayStart && t < nextDay)) startDay(now)
      if (failed) return
      const buffer = Buffer.from(line + '\n', 'utf8')
      try {
        makeRoom(buffer.length)
        if (fd === null) return
        let written = 0
        while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written)
        size += buffer.length
      } catch (error) {
        fail(error, 'cannot write')
      }
    },
    reopen(newMax) {
      if (newMax !== undefined) maxFileBytes = newMax
      closeFd()
      dayStart = Number.NaN
      nextDay = Number.NaN
    },
    close() {
      closeFd()
      dayStart = Number.NaN
      nextDay = Number.NaN
    },
  }
}
