import {lstatSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import path from 'node:path'

/**
 * Every entry under `dir` (recursively) with its bytes (files), link text (symlinks) or type, so
 * a test can assert that a failed command left the files exactly as they were.
 */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (current: string) => {
    let entries: string[]
    try {
      entries = readdirSync(current).sort()
    } catch {
      return
    }
    for (const name of entries) {
      const full = path.join(current, name)
      const rel = path.relative(dir, full)
      const stats = lstatSync(full)
      if (stats.isSymbolicLink()) out[rel] = `link:${readlinkSync(full)}`
      else if (stats.isDirectory()) {
        out[rel] = `dir:${(stats.mode & 0o777).toString(8)}`
        walk(full)
      } else if (stats.isFile()) {
        out[rel] = `file:${(stats.mode & 0o777).toString(8)}:${stats.mtimeMs}:${(stats.mode & 0o444) === 0 ? '<unreadable>' : readFileSync(full).toString('base64')}`
      } else out[rel] = 'special'
    }
  }
  walk(dir)
  return out
}
