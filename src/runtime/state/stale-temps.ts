/**
 * Temp files left by writers that died mid-write (issue 6, defect 6): `writeFileAtomic` names
 * them `.<file>.<pid>.<8 hex>.tmp`, and each is a full 0600 copy of what was being written
 * (secrets included). Owned config writes sweep their directory first; doctor sweeps the state
 * dir. A temp is stale when its PID is gone, or when it is older than any write takes.
 */
import {lstatSync, readdirSync, unlinkSync} from 'node:fs'
import path from 'node:path'

import {isProcessAlive} from './file-lock.js'

/** A temp of a live PID this old is abandoned all the same (a PID reused by another process), ms. */
export const STALE_TEMP_AGE_MS = 10 * 60 * 1000

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/

/** The writer PID encoded in an atomic-write temp name, or undefined for any other name. */
export function tempWriterPid(name: string): number | undefined {
  const match = TEMP_NAME.exec(name)
  return match === null ? undefined : Number(match[1])
}

/**
 * Removes stale atomic-write temps directly in `dir` (regular files only; symlinks and other
 * names are never touched) and returns their paths. Never throws: an unreadable directory or a
 * file that cannot be removed is skipped.
 */
export function sweepStaleTemps(dir: string, now: number = Date.now()): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const pid = tempWriterPid(name)
    if (pid === undefined) continue
    const file = path.join(dir, name)
    try {
      const stats = lstatSync(file)
      if (!stats.isFile()) continue
      // Our own PID's temp is stale too: atomic writes are synchronous, so none of ours is in progress now.
      const alive = pid !== process.pid && isProcessAlive(pid)
      if (alive && now - stats.mtimeMs < STALE_TEMP_AGE_MS) continue
      unlinkSync(file)
      removed.push(file)
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed
}
