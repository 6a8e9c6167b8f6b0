import {chmodSync, existsSync, mkdirSync} from 'node:fs'
import path from 'node:path'

/**
 * Creates `dir` (and missing parents) with `mode`, then chmods it, because mkdir's mode is
 * filtered through the umask (config.md §11: the umask must not change our modes). An existing
 * directory keeps its mode: doctor reports and repairs drift. Returns true when it created `dir`.
 */
export function ensureDir(dir: string, mode: number): boolean {
  let first: string | undefined
  try {
    first = mkdirSync(dir, {recursive: true, mode})
  } catch (error) {
    // Recursive mkdir reports ENOENT on a read-only mount; a plain mkdir under an existing parent names the real cause (EROFS, EACCES, ENOSPC).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(path.dirname(dir))) mkdirSync(dir, {mode})
    throw error
  }
  if (first === undefined) return false
  chmodSync(dir, mode)
  return true
}

/** The state dir (or any private dir inside it, e.g. `locks/`): 0700. */
export function ensureStateDir(dir: string): boolean {
  return ensureDir(dir, 0o700)
}
