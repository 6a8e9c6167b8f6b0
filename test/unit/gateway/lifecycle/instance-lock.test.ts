import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {acquireInstanceLock, acquireStateLock, type InstanceLockOptions} from '../../../../src/runtime/gateway/lifecycle/instance-lock.js'

let stateDir: string
let lockPath: string
let logs: string[]
let child: ChildProcess | undefined

beforeEach(() => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'oc-lock-'))
  lockPath = path.join(stateDir, 'locks', 'gateway.lock')
  logs = []
})
afterEach(() => {
  child?.kill('SIGKILL')
  child = undefined
  rmSync(stateDir, {recursive: true, force: true})
})

const options = (extra: Partial<InstanceLockOptions> = {}): InstanceLockOptions => ({stateDir, port: 18789, version: '1.0.0', force: false, drainMs: 0, log: (m) => logs.push(m), probe: async () => false, ...extra})

function holdBy(pid: number, extra: Record<string, unknown> = {}): void {
  mkdirSync(path.dirname(lockPath), {recursive: true})
  writeFileSync(lockPath, JSON.stringify({pid, hostname: os.hostname(), port: 18000, startedAt: new Date().toISOString(), version: '0.9.0', ...extra}))
}

/** A live process on this host that is not us (a sleeping node child). */
function liveProcess(): number {
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {stdio: 'ignore'})
  return child.pid as number
}

describe('gateway.lock (operations.md §3.2)', () => {
  it('takes a free lock with {pid, hostname, port, startedAt, version}; release removes it', async () => {
    const lock = await acquireInstanceLock(options())
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual({pid: process.pid, hostname: os.hostname(), startedAt: expect.any(String), port: 18789, version: '1.0.0'})
    lock.updatePort(19000)
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({pid: process.pid, port: 19000})
    lock.release()
    expect(existsSync(lockPath)).toBe(false)
  })

  it('removes a stale lock (same host, dead pid) and logs it', async () => {
    holdBy(2 ** 22 + 11)
    const lock = await acquireInstanceLock(options())
    expect(logs).toEqual([`removed stale gateway lock (pid ${2 ** 22 + 11})`])
    lock.release()
  })

  it('treats a lock naming our own pid as stale (a container restart reuses pids)', async () => {
    holdBy(process.pid)
    const lock = await acquireInstanceLock(options())
    expect(logs).toEqual([`removed stale gateway lock (pid ${process.pid})`])
    lock.release()
  })

  it('a live holder answering /health: 78 with the stop command', async () => {
    const pid = liveProcess()
    holdBy(pid)
    await expect(acquireInstanceLock(options({probe: async (port) => port === 18000}))).rejects.toMatchObject({
      code: 'GATEWAY_ALREADY_RUNNING', exitCode: 78,
      message: `another gateway is already running for this state dir (pid ${pid}, port 18000); stop it: openclaw gateway stop`,
    })
    expect(existsSync(lockPath)).toBe(true)
  })

  it('a live holder not answering: exit 1 with the kill hint', async () => {
    const pid = liveProcess()
    holdBy(pid)
    await expect(acquireInstanceLock(options())).rejects.toMatchObject({
      code: 'GATEWAY_LOCK_STUCK', exitCode: 1,
      message: `gateway lock held by pid ${pid}, which isn't answering on port 18000; if it is stuck: kill ${pid}`,
    })
  })

  it('--force: SIGTERMs the holder, waits for it to exit, and takes over', async () => {
    const pid = liveProcess()
    holdBy(pid)
    const lock = await acquireInstanceLock(options({force: true, probe: async () => true}))
    expect(logs[0]).toBe(`--force: sending SIGTERM to the gateway holding the lock (pid ${pid})`)
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid)
    lock.release()
  })
})

describe('state.lock', () => {
  it('is taken for the gateway lifetime and released', async () => {
    const lock = await acquireStateLock(stateDir)
    expect(JSON.parse(readFileSync(path.join(stateDir, 'locks', 'state.lock'), 'utf8')).pid).toBe(process.pid)
    lock.release()
    expect(existsSync(path.join(stateDir, 'locks', 'state.lock'))).toBe(false)
  })
})
