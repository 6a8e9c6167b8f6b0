import {mkdirSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {tryAcquireFileLock, type FileLock} from '../../state/file-lock.js'

/**
 * The one-poller-per-token lock (telegram.md §4.1): `telegram-<tokenHash>.lock` in
 * `<state>/locks/` and in the machine-wide `<os tmpdir>/openclaw/locks/`, which no profile,
 * state dir or `logging.file` moves, so every gateway of this user on this machine sees it.
 */
export interface TokenLockPlaces {
  stateDir: string
  /** Default `<os.tmpdir()>/openclaw`; tests pass their own. */
  machineDir?: string
}

export type TokenLockResult = {ok: true; release(): void} | {ok: false; holder: {pid: number; hostname: string}; message: string}

export function machineLockDir(places: TokenLockPlaces): string {
  return path.join(places.machineDir ?? path.join(os.tmpdir(), 'openclaw'), 'locks')
}

/** Takes both lock files or neither. A stale lock (dead pid on this host) is replaced; `onStale` is told. */
export function acquireTokenLock(
  places: TokenLockPlaces,
  hash: string,
  info: {accountId: string; mode: 'polling' | 'webhook'},
  onStale: (pid: number) => void,
): TokenLockResult {
  const name = `telegram-${hash}.lock`
  const dirs = [path.join(places.stateDir, 'locks'), machineLockDir(places)]
  const taken: FileLock[] = []
  for (const dir of dirs) {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    const attempt = tryAcquireFileLock(path.join(dir, name), {
      timestampField: 'startedAt',
      extra: {accountId: info.accountId, mode: info.mode},
      onStale: (holder) => onStale(holder?.pid ?? 0),
      releaseOnExit: true,
    })
    if ('release' in attempt) {
      taken.push(attempt)
      continue
    }
    for (const lock of taken) lock.release()
    const holder = {pid: attempt.heldBy?.pid ?? 0, hostname: attempt.heldBy?.hostname ?? os.hostname()}
    return {ok: false, holder, message: `another openclaw process (pid ${holder.pid}) is already using this bot token`}
  }
  return {ok: true, release: () => taken.forEach((lock) => lock.release())}
}
