import {chmodSync, lstatSync, mkdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {resolveStatePath, type ResolvedPaths} from '../paths.js'
import type {LoggingSettings} from './settings.js'

/** The preferred directory for dated log files (config.md §12). */
export const DEFAULT_LOG_DIR = '/tmp/openclaw'

const DATED_NAME = /^openclaw-(?:[a-z0-9][a-z0-9_-]{0,63}-)?(\d{4})-(\d{2})-(\d{2})\.log(?:\.\d+)?$/

/** Everything but the date and the config that decides where the file log lives. */
export interface LogLocationContext {
  /** Lower-case profile name, or null for the default profile. */
  profile: string | null
  /** For `logging.file`: `~` expands to home; a relative path is relative to the state dir. */
  home: string
  stateDir: string
  /** `os.tmpdir()`: the root of the fallback directory. */
  tmpdir: string
  /** `process.getuid()`, or null where there are no uids (owner checks are skipped). */
  uid: number | null
  /** Overrides DEFAULT_LOG_DIR (tests). */
  preferredDir?: string
}

export interface LogFileInputs extends LogLocationContext {
  logging?: Pick<LoggingSettings, 'file'>
  /** The moment whose host-local date names the file. */
  now: Date
}

/** This process's context: the resolved paths plus `os.tmpdir()` and the real uid. */
export function logLocationContext(paths: Pick<ResolvedPaths, 'profile' | 'home' | 'stateDir'>): LogLocationContext {
  return {profile: paths.profile, home: paths.home, stateDir: paths.stateDir, tmpdir: os.tmpdir(), uid: process.getuid?.() ?? null}
}

export interface LogFileLocation {
  /** Absolute path of the file to write (or read) now. */
  file: string
  dir: string
  /** True for the default dated location (midnight switch and 3-day cleanup apply). */
  dated: boolean
  /** Why the preferred directory was skipped, when the fallback is in use. */
  fallbackReason?: string
}

export type LogDirCheck = {safe: true; exists: boolean} | {safe: false; reason: string}

/** `YYYY-MM-DD` of the host-local date. */
export function localDateStamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** `openclaw-YYYY-MM-DD.log`, or `openclaw-<profile>-YYYY-MM-DD.log` with a profile. */
export function datedLogFileName(profile: string | null, now: Date): string {
  return profile === null ? `openclaw-${localDateStamp(now)}.log` : `openclaw-${profile}-${localDateStamp(now)}.log`
}

/**
 * The local date (midnight, host time) in a dated log file name (rotated `.1`/`.2` included),
 * or null when the name is not one of ours.
 */
export function dateOfLogFileName(name: string): Date | null {
  const match = DATED_NAME.exec(name)
  if (match === null) return null
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
}

/**
 * Whether `dir` may hold our logs: missing (we create it), or a real directory owned by `uid`
 * and not group/world-writable. A symlink is never accepted: someone else could point it anywhere.
 */
export function checkLogDir(dir: string, uid: number | null): LogDirCheck {
  let stat
  try {
    stat = lstatSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {safe: true, exists: false}
    return {safe: false, reason: `${dir} cannot be inspected (${(error as NodeJS.ErrnoException).code ?? String(error)})`}
  }
  if (stat.isSymbolicLink()) return {safe: false, reason: `${dir} is a symlink`}
  if (!stat.isDirectory()) return {safe: false, reason: `${dir} is not a directory`}
  if (uid !== null && stat.uid !== uid) return {safe: false, reason: `${dir} is owned by uid ${stat.uid}, not ${uid}`}
  if (uid !== null && (stat.mode & 0o022) !== 0) {
    return {safe: false, reason: `${dir} is writable by other users (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')})`}
  }
  return {safe: true, exists: true}
}

/** The per-user fallback directory: `<tmpdir>/openclaw-<uid>`. */
export function fallbackLogDir(tmpdir: string, uid: number | null): string {
  return path.join(tmpdir, uid === null ? 'openclaw-user' : `openclaw-${uid}`)
}

/**
 * Where the file log goes at `now` (config.md §12). Inspects the preferred directory but creates
 * nothing, so `logs`, `status` and doctor can call it freely.
 */
export function resolveLogFile(inputs: LogFileInputs): LogFileLocation {
  const configured = inputs.logging?.file
  if (configured !== undefined && configured.trim() !== '') {
    const file = resolveStatePath(configured, {home: inputs.home, stateDir: inputs.stateDir})
    return {file, dir: path.dirname(file), dated: false}
  }
  const name = datedLogFileName(inputs.profile, inputs.now)
  const preferred = inputs.preferredDir ?? DEFAULT_LOG_DIR
  const check = checkLogDir(preferred, inputs.uid)
  if (check.safe) return {file: path.join(preferred, name), dir: preferred, dated: true}
  const dir = fallbackLogDir(inputs.tmpdir, inputs.uid)
  return {file: path.join(dir, name), dir, dated: true, fallbackReason: check.reason}
}

/**
 * Creates the log directory: the default ones 0700 and re-checked after creation (another user
 * may have raced us to the name), a `logging.file` parent recursively without touching the modes
 * of directories that already exist. Throws LOG_FILE_UNWRITABLE.
 */
export function ensureLogDir(location: LogFileLocation, uid: number | null): void {
  try {
    if (!location.dated) {
      mkdirSync(location.dir, {recursive: true, mode: 0o700})
      return
    }
    const before = checkLogDir(location.dir, uid)
    if (before.safe && !before.exists) {
      try {
        mkdirSync(location.dir, {mode: 0o700})
        chmodSync(location.dir, 0o700)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
    const after = checkLogDir(location.dir, uid)
    if (!after.safe) throw unsafeDirError(location.dir, after.reason)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('LOG_FILE_UNWRITABLE', `cannot create log directory ${location.dir}: ${(error as Error).message}`, {
      hint: [`mkdir -m 700 -p ${location.dir}`, 'openclaw config set logging.file ~/.openclaw/logs/openclaw.log'],
      cause: error,
    })
  }
}

function unsafeDirError(dir: string, reason: string): AppError {
  return new AppError('LOG_FILE_UNWRITABLE', `refusing to write logs: ${reason}`, {
    hint: [`chmod 700 ${dir}  (if it is yours)`, 'openclaw config set logging.file ~/.openclaw/logs/openclaw.log'],
  })
}
