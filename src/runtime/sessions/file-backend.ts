/**
 * The real storage of a session store: files in the agent's sessions directory (runtime.md §5).
 */
import {closeSync, mkdirSync, openSync, statSync, writeSync} from 'node:fs'
import {fsync as fsyncCallback} from 'node:fs'
import {open, readdir, rename, rm, utimes} from 'node:fs/promises'
import {promisify} from 'node:util'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {syncDir, writeFileAtomicAsync} from '../state/atomic-write-async.js'
import {acquireFileLock, type LockHolder as FileLockHolder} from '../state/file-lock.js'
import type {FileInfo, StoreBackend} from './backend.js'

export interface FileBackendOptions {
  /** How long to wait for a transcript lock (ms); default 60 000 (§5.5). */
  lockTimeoutMs?: number
  /** How long to wait for the index lock (ms); default 10 000 (§5.2). */
  indexLockTimeoutMs?: number
}

/** A lock whose mtime is older than this is stale (§5.5); holders refresh it every LOCK_REFRESH_MS. */
const LOCK_STALE_MS = 30 * 60_000
const LOCK_REFRESH_MS = 30_000
const INDEX_LOCK_STALE_MS = 60_000

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

function describeHolder(holder: FileLockHolder | null): string {
  if (holder === null) return 'an unknown process'
  return `pid ${holder.pid} on ${holder.hostname}${typeof holder.owner === 'string' ? ` (${holder.owner})` : ''}`
}

export function createFileBackend(dir: string, options: FileBackendOptions = {}): StoreBackend {
  const full = (name: string) => path.join(dir, name)
  let dirReady = false
  const ensureDir = () => {
    if (dirReady) return
    mkdirSync(dir, {recursive: true, mode: 0o700})
    dirReady = true
  }

  // Lock-free index reads of the runs progressing in one event-loop turn share one stat: a change by
  // another process between them is indistinguishable from one made just after the last. Our own
  // writes forget the name at once, and taking the index lock forgets them all.
  const versions = new Map<string, string | null>()
  let versionsClearing = false
  const forget = (name: string) => versions.delete(name)

  const backend: StoreBackend = {
    dir,
    async read(name) {
      try {
        const handle = await open(full(name), 'r')
        try {
          return await handle.readFile('utf8')
        } finally {
          await handle.close()
        }
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async readTail(name, maxBytes) {
      let handle
      try {
        handle = await open(full(name), 'r')
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
      try {
        const {size} = await handle.stat()
        const length = Math.min(size, maxBytes)
        const buffer = Buffer.alloc(length)
        await handle.read(buffer, 0, length, size - length)
        return buffer.toString('utf8')
      } finally {
        await handle.close()
      }
    },
    // stat, open, write and close are synchronous: they take microseconds, while on the thread
    // pool they would queue behind other sessions' fsyncs (the one slow call, which stays async).
    async stat(name) {
      try {
        const info = statSync(full(name))
        return {name, size: info.size, mtimeMs: info.mtimeMs}
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async list() {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch (error) {
        if (isMissing(error)) return []
        throw error
      }
      const infos = await Promise.all(names.map((name) => backend.stat(name)))
      return infos.filter((info): info is FileInfo => info !== null)
    },
    async writeAtomic(name, text) {
      ensureDir()
      forget(name)
      await writeFileAtomicAsync(full(name), text)
      forget(name)
    },
    async append(name, text, {fsync, created}) {
      ensureDir()
      forget(name)
      const fd = openSync(full(name), 'a', 0o600)
      try {
        writeSync(fd, text)
        if (fsync) await fsyncFd(fd)
      } finally {
        closeSync(fd)
      }
      if (created) await syncDir(dir)
    },
    async rename(from, to) {
      forget(from)
      forget(to)
      await rename(full(from), full(to))
      await syncDir(dir)
    },
    async remove(name) {
      forget(name)
      await rm(full(name), {force: true})
    },
    async version(name) {
      // Read on every index access: a plain stat (mtimeMs keeps sub-µs precision) allocates no
      // BigInts; an atomic rewrite also gives a new inode.
      const known = versions.get(name)
      if (known !== undefined) return known
      const info = statSync(full(name), {throwIfNoEntry: false})
      const version = info === undefined ? null : `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
      versions.set(name, version)
      if (!versionsClearing) {
        versionsClearing = true
        setImmediate(() => {
          versions.clear()
          versionsClearing = false
        })
      }
      return version
    },
    async withIndexLock(fn) {
      ensureDir()
      const lock = await acquireFileLock(full('sessions.json.lock'), {
        timeoutMs: options.indexLockTimeoutMs ?? 10_000,
        pollMs: 20,
        staleMs: INDEX_LOCK_STALE_MS,
        onTimeout: (holder) => new AppError('SESSION_LOCKED', `The session index ${full('sessions.json')} is locked by ${describeHolder(holder)}.`, {hint: ['Wait for the other openclaw process to finish, then retry.', 'If that process is gone: openclaw doctor --fix']}),
      })
      // Under the lock every check must see the file as it is now: a write another process finished
      // just before we got the lock must not be overwritten on the strength of an older stat.
      versions.clear()
      try {
        return await fn()
      } finally {
        lock.release()
      }
    },
    async lockFile(name, owner) {
      ensureDir()
      const lockPath = full(`${name}.lock`)
      // startedAt as epoch ms (not an ISO string) makes the stale check use the refreshed mtime.
      const lock = await acquireFileLock(lockPath, {
        timestampField: 'startedAt',
        extra: {startedAt: Date.now(), owner},
        staleMs: LOCK_STALE_MS,
        pollMs: 100,
        timeoutMs: options.lockTimeoutMs ?? 60_000,
        onTimeout: (holder) => new AppError('SESSION_LOCKED', `The session transcript ${full(name)} is locked by ${describeHolder(holder)}.`, {hint: ['Wait for that run to finish, then retry.', 'If that process is gone: openclaw doctor --fix'], details: {holder}}),
      })
      const refresh = setInterval(() => {
        const now = new Date()
        utimes(lockPath, now, now).catch(() => undefined)
      }, LOCK_REFRESH_MS)
      refresh.unref()
      return {
        async release() {
          clearInterval(refresh)
          lock.release()
        },
      }
    },
  }
  return backend
}

const fsyncFd = promisify(fsyncCallback)
