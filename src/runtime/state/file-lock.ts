import {closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync} from 'node:fs'
import os from 'node:os'

import type {AppError} from '../errors/app-error.js'

/** What a lock file holds (config.md §11): who took it, where, and when. */
export interface LockHolder {
  pid: number
  hostname: string
  createdAt?: string
  startedAt?: string
  [extra: string]: unknown
}

export interface FileLockOptions {
  /** Extra fields written into the lock file (`gateway.lock` adds `port`, `version`). */
  extra?: Record<string, unknown>
  /** Name of the timestamp field: `createdAt` (config lock, the default) or `startedAt`. */
  timestampField?: 'createdAt' | 'startedAt'
  /** A lock older than this (ms) is stale whatever its PID; unset = only a dead PID on this host makes it stale. */
  staleMs?: number
  /** How long to wait for a held lock (ms); 0 = a single attempt. Default 0. */
  timeoutMs?: number
  /** Delay between attempts (ms); default 50. */
  pollMs?: number
  /** Builds the error thrown when the lock is still held after `timeoutMs`. */
  onTimeout: (holder: LockHolder | null) => AppError
  /** Told about each stale lock removed (the gateway logs `removed stale gateway lock (pid 999)`). */
  onStale?: (holder: LockHolder | null) => void
  /** Also release when the process exits (for locks held for a process's lifetime). */
  releaseOnExit?: boolean
}

export interface FileLock {
  readonly path: string
  readonly holder: LockHolder
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void
}

/** A lock file that cannot be parsed is stale once it is this old (a writer crashed between create and write). */
const UNREADABLE_LOCK_GRACE_MS = 2000

/**
 * Takes an exclusive lock by creating `lockPath` with `wx` and writing `{pid, hostname,
 * createdAt|startedAt, …extra}`. A stale lock (same host and its PID dead, or older than
 * `staleMs`) is removed and the create retried; a live one is waited for, polling every
 * `pollMs`, up to `timeoutMs`, then `onTimeout(holder)` is thrown.
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions): Promise<FileLock> {
  const deadline = Date.now() + (options.timeoutMs ?? 0)
  const pollMs = options.pollMs ?? 50
  for (;;) {
    const attempt = tryAcquireFileLock(lockPath, options)
    if ('release' in attempt) return attempt
    if (Date.now() + pollMs > deadline) throw options.onTimeout(attempt.heldBy)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}

/** Runs `fn` holding the lock, and releases it on every path out. */
export async function withFileLock<T>(lockPath: string, options: FileLockOptions, fn: () => Promise<T> | T): Promise<T> {
  const lock = await acquireFileLock(lockPath, options)
  try {
    return await fn()
  } finally {
    lock.release()
  }
}

/** One attempt, no waiting: the lock, or who holds it (null when the file is unreadable). */
export function tryAcquireFileLock(lockPath: string, options: Omit<FileLockOptions, 'onTimeout'>): FileLock | {heldBy: LockHolder | null} {
  // Two rounds: the second create follows the removal of a stale lock.
  for (let round = 0; round < 2; round++) {
    const holder: LockHolder = {pid: process.pid, hostname: os.hostname(), [options.timestampField ?? 'createdAt']: new Date().toISOString(), ...options.extra}
    const content = JSON.stringify(holder) + '\n'
    let fd: number
    try {
      fd = openSync(lockPath, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const existing = readLockFile(lockPath)
      if (existing === null) continue // removed between our create and our read: try again
      if (!isLockStale(existing.holder, {staleMs: options.staleMs, mtimeMs: existing.mtimeMs, timestampField: options.timestampField})) {
        return {heldBy: existing.holder}
      }
      removeIfUnchanged(lockPath, existing.text)
      options.onStale?.(existing.holder)
      continue
    }
    try {
      writeSync(fd, content)
    } catch (error) {
      // A full disk can take the create but not the bytes: leave no empty lock behind.
      closeSync(fd)
      removeQuietly(lockPath)
      throw error
    }
    closeSync(fd)
    return makeLock(lockPath, holder, content, options.releaseOnExit === true)
  }
  return {heldBy: readLockHolder(lockPath)}
}

/** The holder recorded in a lock file, or null when it is missing or unreadable. */
export function readLockHolder(lockPath: string): LockHolder | null {
  return readLockFile(lockPath)?.holder ?? null
}

/** True when `pid` names a running process (one we may not signal still counts). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Stale = recorded on this host by a PID that is gone, or older than `staleMs` (by its
 * timestamp, else the file's mtime). An unreadable lock is stale after a short grace.
 */
export function isLockStale(
  holder: LockHolder | null,
  context: {staleMs?: number; mtimeMs: number; now?: number; timestampField?: 'createdAt' | 'startedAt'; hostname?: string},
): boolean {
  const now = context.now ?? Date.now()
  if (holder === null) return now - context.mtimeMs > UNREADABLE_LOCK_GRACE_MS
  if (holder.hostname === (context.hostname ?? os.hostname()) && !isProcessAlive(holder.pid)) return true
  if (context.staleMs === undefined) return false
  const stamp = holder[context.timestampField ?? 'createdAt'] ?? holder.createdAt ?? holder.startedAt
  const created = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN
  return now - (Number.isNaN(created) ? context.mtimeMs : created) > context.staleMs
}

function readLockFile(lockPath: string): {holder: LockHolder | null; text: string; mtimeMs: number} | null {
  let text: string
  let mtimeMs: number
  try {
    mtimeMs = statSync(lockPath).mtimeMs
    text = readFileSync(lockPath, 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>
    const valid = typeof parsed === 'object' && parsed !== null && typeof parsed.pid === 'number' && typeof parsed.hostname === 'string'
    return {holder: valid ? (parsed as LockHolder) : null, text, mtimeMs}
  } catch {
    return {holder: null, text, mtimeMs}
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    // Never created, or already gone.
  }
}

/** Removes the lock only if it still holds `text`, so a lock someone else just took survives. */
function removeIfUnchanged(lockPath: string, text: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === text) unlinkSync(lockPath)
  } catch {
    // Already gone.
  }
}

function makeLock(lockPath: string, holder: LockHolder, content: string, releaseOnExit: boolean): FileLock {
  let released = false
  const release = () => {
    if (released) return
    released = true
    process.removeListener('exit', release)
    removeIfUnchanged(lockPath, content)
  }
  if (releaseOnExit) process.once('exit', release)
  return {path: lockPath, holder, release}
}
