/**
 * The single-instance lock `<state>/locks/gateway.lock` (operations.md §3.2) and the state-dir
 * lock `locks/state.lock` the gateway holds for its lifetime. A stale gateway lock is removed and
 * logged; a live holder answering `/health` is a refusal (78), one not answering is exit 1 (a
 * supervisor may retry); `--force` stops the holder with SIGTERM and takes over.
 */
import {readFileSync, unlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {AppError} from '../../errors/app-error.js'
import {stateFiles} from '../../paths.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import {ensureStateDir} from '../../state/ensure-state-dir.js'
import {acquireFileLock, isProcessAlive, tryAcquireFileLock, type FileLock, type LockHolder} from '../../state/file-lock.js'
import {fsErrorCause, fsErrorCheckCommand} from '../../state/fs-errors.js'
import {probeGatewayHealth} from './probe-health.js'
import {CONFIG_EXIT} from './startup-checks.js'

/** How long the gateway waits for `locks/state.lock` held by a local command (ms). */
export const STATE_LOCK_WAIT_MS = 10_000
/** Extra wait after the drain timeout for a `--force`d holder to exit (ms). */
export const FORCE_EXTRA_WAIT_MS = 5000
/** An unreadable lock (a writer between create and write) becomes stale after 2 s; we wait that long. */
const UNREADABLE_RETRIES = 12
const UNREADABLE_RETRY_MS = 250

export interface InstanceLock {
  readonly path: string
  /** Rewrites the lock's `port` (after an in-process restart onto another port); the file never disappears. */
  updatePort(port: number): void
  /** Removes the lock if it is still ours. Idempotent; also runs on process exit. */
  release(): void
}

export interface InstanceLockOptions {
  stateDir: string
  port: number
  version: string
  /** `--force`: stop a live holder with SIGTERM and take over. */
  force: boolean
  /** The drain timeout (ms) a forced holder is given, plus {@link FORCE_EXTRA_WAIT_MS}. */
  drainMs: number
  /** Logs `removed stale gateway lock (pid 999)` and the `--force` steps. */
  log(message: string): void
  /** Overridable for tests. */
  probe?: (port: number) => Promise<boolean>
}

/**
 * A full, read-only or unwritable state dir is the machine's state, not a bug: GATEWAY_CONFIG
 * (78, so a supervisor does not restart-loop) naming the file and the cause. Other errors pass.
 */
export function lockWriteFailed(error: unknown, file: string): unknown {
  const cause = fsErrorCause(error)
  if (cause === undefined) return error
  const dir = path.dirname(path.dirname(file))
  return new AppError('GATEWAY_CONFIG', `cannot write ${file}: ${cause}; the gateway needs a writable state dir`, {
    exitCode: CONFIG_EXIT,
    hint: [`Check the state dir: ${fsErrorCheckCommand(error, dir)}`, 'Or run with a writable one: OPENCLAW_STATE_DIR=<dir> openclaw gateway run'],
    details: {errno: (error as NodeJS.ErrnoException).code, path: file},
    cause: error,
  })
}

/** Takes `gateway.lock` per operations.md §3.2; throws GATEWAY_ALREADY_RUNNING (78) or GATEWAY_LOCK_STUCK (1). */
export async function acquireInstanceLock(options: InstanceLockOptions): Promise<InstanceLock> {
  try {
    return await takeInstanceLock(options)
  } catch (error) {
    throw lockWriteFailed(error, stateFiles(options.stateDir).gatewayLock)
  }
}

async function takeInstanceLock(options: InstanceLockOptions): Promise<InstanceLock> {
  const files = stateFiles(options.stateDir)
  ensureStateDir(files.locksDir)
  const probe = options.probe ?? ((port: number) => probeGatewayHealth('127.0.0.1', port))
  let unreadable = 0
  let forced = false
  for (;;) {
    const attempt = tryAcquireFileLock(files.gatewayLock, {
      extra: {port: options.port, version: options.version},
      timestampField: 'startedAt',
      onStale: (holder) => options.log(`removed stale gateway lock (pid ${holder?.pid ?? 'unknown'})`),
    })
    if ('release' in attempt) return wrapLock(attempt)
    const holder = attempt.heldBy
    if (holder === null) {
      if (++unreadable > UNREADABLE_RETRIES) throw unreadableLock(files.gatewayLock)
      await sleep(UNREADABLE_RETRY_MS)
      continue
    }
    // A lock naming our own PID on this host was left by an earlier process that had our PID (containers): stale.
    if (holder.pid === process.pid && holder.hostname === os.hostname()) {
      removeIfContent(files.gatewayLock, readText(files.gatewayLock))
      options.log(`removed stale gateway lock (pid ${holder.pid})`)
      continue
    }
    const port = typeof holder.port === 'number' ? holder.port : null
    if (options.force && !forced) {
      forced = true
      await stopHolder(holder, options)
      continue
    }
    if (port !== null && (await probe(port))) {
      throw new AppError('GATEWAY_ALREADY_RUNNING', `another gateway is already running for this state dir (pid ${holder.pid}, port ${port}); stop it: openclaw gateway stop`, {
        exitCode: CONFIG_EXIT,
        hint: ['openclaw gateway stop', 'Or take over: openclaw gateway run --force'],
        details: {pid: holder.pid, port},
      })
    }
    throw new AppError('GATEWAY_LOCK_STUCK', `gateway lock held by pid ${holder.pid}, which isn't answering on port ${port ?? 'unknown'}; if it is stuck: kill ${holder.pid}`, {
      hint: [`kill ${holder.pid}`, 'Or take over: openclaw gateway run --force'],
      details: {pid: holder.pid, port, hostname: holder.hostname},
    })
  }
}

/** Takes `locks/state.lock`, waiting up to 10 s for a local command that holds it; throws STATE_LOCKED. */
export async function acquireStateLock(stateDir: string): Promise<FileLock> {
  const files = stateFiles(stateDir)
  try {
    ensureStateDir(files.locksDir)
    return await takeStateLock(files.stateLock)
  } catch (error) {
    throw lockWriteFailed(error, files.stateLock)
  }
}

function takeStateLock(stateLock: string): Promise<FileLock> {
  return acquireFileLock(stateLock, {
    timestampField: 'startedAt',
    timeoutMs: STATE_LOCK_WAIT_MS,
    pollMs: 100,
    onTimeout: (holder) =>
      new AppError('STATE_LOCKED', `another openclaw process is using this state dir (pid ${holder?.pid ?? 'unknown'})`, {
        hint: ['Wait for it to finish, then start the gateway again', holder === null ? 'See what runs: openclaw status' : `See what it is: ps -p ${holder.pid}`],
      }),
  })
}

/** `--force`: SIGTERM to a holder on this host, then wait for it to exit (drain + 5 s). */
async function stopHolder(holder: LockHolder, options: InstanceLockOptions): Promise<void> {
  if (holder.hostname !== os.hostname()) {
    throw new AppError('GATEWAY_LOCK_STUCK', `gateway lock held by pid ${holder.pid} on host ${holder.hostname}; --force can only stop a gateway on this host`, {
      hint: [`Stop it on ${holder.hostname}: openclaw gateway stop`],
    })
  }
  options.log(`--force: sending SIGTERM to the gateway holding the lock (pid ${holder.pid})`)
  try {
    process.kill(holder.pid, 'SIGTERM')
  } catch {
    // Already gone, or not ours to signal: the wait below tells which.
  }
  const deadline = Date.now() + options.drainMs + FORCE_EXTRA_WAIT_MS
  while (isProcessAlive(holder.pid)) {
    if (Date.now() > deadline) {
      throw new AppError('GATEWAY_LOCK_STUCK', `gateway pid ${holder.pid} did not stop within ${Math.round((options.drainMs + FORCE_EXTRA_WAIT_MS) / 1000)} s of SIGTERM; if it is stuck: kill -9 ${holder.pid}`, {
        hint: [`kill -9 ${holder.pid}`],
      })
    }
    await sleep(100)
  }
}

function wrapLock(lock: FileLock): InstanceLock {
  let content = readText(lock.path)
  let port = lock.holder.port
  let released = false
  const release = (): void => {
    if (released) return
    released = true
    process.removeListener('exit', release)
    removeIfContent(lock.path, content)
  }
  process.once('exit', release)
  return {
    path: lock.path,
    updatePort(next) {
      if (released || port === next) return
      const text = JSON.stringify({...lock.holder, port: next}) + '\n'
      writeFileAtomic(lock.path, text, {mode: 0o600})
      content = text
      port = next
    },
    release,
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/** Unlinks `file` only while it still holds `content` (someone else's lock survives). */
function removeIfContent(file: string, content: string | null): void {
  if (content === null || readText(file) !== content) return
  try {
    unlinkSync(file)
  } catch {
    // Already gone.
  }
}

function unreadableLock(file: string): AppError {
  return new AppError('GATEWAY_LOCK_STUCK', `gateway lock ${file} is unreadable; if no gateway is running: rm ${file}`, {hint: [`rm ${file}`]})
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
