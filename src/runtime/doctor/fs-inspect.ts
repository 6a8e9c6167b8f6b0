import {lstatSync, readdirSync, type Stats} from 'node:fs'
import path from 'node:path'

/** lstat that returns undefined for a missing path. */
export function lstatOrNull(p: string): Stats | undefined {
  try {
    return lstatSync(p)
  } catch {
    return undefined
  }
}

/** Names in `dir`, sorted; empty when it is missing or unreadable. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

/**
 * Every entry under `dir` (depth first, sorted), not following symlinks, skipping subtrees
 * `skip(relPath)` rejects. Bounded by `limit` entries so a huge tree cannot stall doctor.
 */
export function walkTree(dir: string, skip: (rel: string) => boolean, limit = 200_000): Array<{path: string; rel: string; stats: Stats}> {
  const out: Array<{path: string; rel: string; stats: Stats}> = []
  const visit = (current: string) => {
    for (const name of listDir(current)) {
      if (out.length >= limit) return
      const full = path.join(current, name)
      const rel = path.relative(dir, full)
      if (skip(rel)) continue
      const stats = lstatOrNull(full)
      if (stats === undefined) continue
      out.push({path: full, rel, stats})
      if (stats.isDirectory()) visit(full)
    }
  }
  visit(dir)
  return out
}

export function modeString(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0')
}
