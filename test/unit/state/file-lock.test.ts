import {existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {acquireFileLock, isLockStale, tryAcquireFileLock, withFileLock, type LockHolder} from '../../../src/runtime/state/file-lock.js'

let dir: string
let lockPath: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'))
  lockPath = path.join(dir, 'x.lock')
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const onTimeout = (holder: LockHolder | null) => new AppError('STATE_LOCKED', `held by ${holder?.pid ?? 'unknown'}`)
const DEAD_PID = 2 ** 30
const host = os.hostname()

describe('isLockStale', () => {
  const now = Date.parse('2026-05-01T00:01:00Z')
  it.each<[string, LockHolder | null, number | undefined, number, boolean]>([
    ['live PID, no age limit', {pid: process.pid, hostname: host, createdAt: '2026-05-01T00:00:00Z'}, undefined, now, false],
    ['dead PID on this host', {pid: DEAD_PID, hostname: host, createdAt: '2026-05-01T00:00:59Z'}, undefined, now, true],
    ['dead PID on another host', {pid: DEAD_PID, hostname: `${host}-other`, createdAt: '2026-05-01T00:00:59Z'}, undefined, now, false],
    ['live PID older than staleMs', {pid: process.pid, hostname: host, createdAt: '2026-05-01T00:00:00Z'}, 30_000, now, true],
    ['live PID younger than staleMs', {pid: process.pid, hostname: host, createdAt: '2026-05-01T00:00:45Z'}, 30_000, now, false],
    ['startedAt is read too', {pid: process.pid, hostname: host, startedAt: '2026-05-01T00:00:00Z'}, 30_000, now, true],
    ['unreadable and fresh', null, undefined, now - 500, false],
    ['unreadable and old', null, undefined, now - 5000, true],
  ])('%s', (_name, holder, staleMs, mtimeMs, expected) => {
    expect(isLockStale(holder, {staleMs, mtimeMs, now})).toBe(expected)
  })
})

describe('acquireFileLock', () => {
  it('writes {pid, hostname, createdAt, ...extra} and removes the file on release', async () => {
    const lock = await acquireFileLock(lockPath, {onTimeout, extra: {port: 1234}})
    const holder = JSON.parse(readFileSync(lockPath, 'utf8'))
    expect(holder).toMatchObject({pid: process.pid, hostname: host, port: 1234})
    expect(typeof holder.createdAt).toBe('string')
    lock.release()
    lock.release()
    expect(existsSync(lockPath)).toBe(false)
  })

  it('uses startedAt when asked', async () => {
    const lock = await acquireFileLock(lockPath, {onTimeout, timestampField: 'startedAt'})
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toHaveProperty('startedAt')
    lock.release()
  })

  it('waits for a live holder, then throws onTimeout with the holder', async () => {
    writeFileSync(lockPath, JSON.stringify({pid: process.pid, hostname: host, createdAt: new Date().toISOString()}))
    const started = Date.now()
    await expect(acquireFileLock(lockPath, {onTimeout, timeoutMs: 200, pollMs: 20})).rejects.toMatchObject({message: `held by ${process.pid}`})
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(existsSync(lockPath)).toBe(true)
  })

  it('gets the lock once the holder releases it', async () => {
    const first = await acquireFileLock(lockPath, {onTimeout})
    setTimeout(() => first.release(), 50)
    const second = await acquireFileLock(lockPath, {onTimeout, timeoutMs: 2000, pollMs: 10})
    second.release()
  })

  it('removes a stale lock and reports it', async () => {
    writeFileSync(lockPath, JSON.stringify({pid: DEAD_PID, hostname: host, createdAt: new Date().toISOString()}))
    const stale: Array<LockHolder | null> = []
    const lock = await acquireFileLock(lockPath, {onTimeout, onStale: (h) => stale.push(h)})
    expect(stale.map((h) => h?.pid)).toEqual([DEAD_PID])
    lock.release()
  })

  it('treats an old unreadable lock as stale', async () => {
    writeFileSync(lockPath, 'garbage')
    const old = new Date(Date.now() - 60_000)
    utimesSync(lockPath, old, old)
    const lock = await acquireFileLock(lockPath, {onTimeout})
    lock.release()
  })

  it('does not remove a lock someone else took after ours was released', async () => {
    const lock = await acquireFileLock(lockPath, {onTimeout})
    writeFileSync(lockPath, JSON.stringify({pid: process.pid, hostname: host, createdAt: new Date().toISOString(), other: true}))
    lock.release()
    expect(existsSync(lockPath)).toBe(true)
  })

  it('reports the holder of a single failed attempt', () => {
    writeFileSync(lockPath, JSON.stringify({pid: process.pid, hostname: host, createdAt: new Date().toISOString()}))
    expect(tryAcquireFileLock(lockPath, {})).toEqual({heldBy: expect.objectContaining({pid: process.pid})})
  })
})

describe('withFileLock', () => {
  it('releases on success and on failure', async () => {
    await expect(withFileLock(lockPath, {onTimeout}, () => 42)).resolves.toBe(42)
    expect(existsSync(lockPath)).toBe(false)
    await expect(
      withFileLock(lockPath, {onTimeout}, () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(lockPath)).toBe(false)
  })
})
