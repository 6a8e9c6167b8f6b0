/**
 * Per-runner memo of the system prompt's slow inputs (runtime.md §8.2): the workspace bootstrap
 * files, re-read only when a stat shows they changed (a stat of a missing file throws nothing,
 * unlike a read), and the "Runtime:" clock text, formatted once per minute and time zone (the
 * formatter is the costly part). Bounded: a gateway serving many agents keeps the most recent.
 * Files found missing are not stat'ed again while the workspace directory is unchanged (creating
 * an entry changes the directory's mtime), unless that mtime is too recent to trust (a creation in
 * the same clock tick as our last look would leave it equal: the "racy" case git guards against).
 */
import {readFileSync, statSync, type Stats} from 'node:fs'
import path from 'node:path'

import {formatPromptTime} from './prompt-time.js'
import {BOOTSTRAP_FILES} from './system-prompt.js'

/** Workspaces whose files are kept (least recently used dropped beyond this). */
const CACHED_WORKSPACES = 16

/** A directory mtime younger than this may hide a creation made in the same clock tick. */
const RACY_MS = 2000

interface CachedFile {
  stamp: string
  content: string
}

/** Changes on every write (size, mtime, ctime) or replacement (inode) of the file. */
function stampOf(info: Stats): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
}

interface CachedWorkspace {
  files: Map<string, CachedFile>
  /** Names with no directory entry when last looked up (an unreadable file is not one of them). */
  absent: Set<string>
  /** The directory's stamp at that look (unset when too recent to trust). */
  dirStamp?: string
}

export class PromptCache {
  private readonly workspaces = new Map<string, CachedWorkspace>()
  private clock: {key: string; text: string} | undefined

  /** The bootstrap files of `workspace` as on disk now (BOM stripped; unreadable = missing). */
  bootstrap(workspace: string, now = Date.now()): Map<string, string> {
    const ws = this.workspaces.get(workspace) ?? {files: new Map<string, CachedFile>(), absent: new Set<string>()}
    this.workspaces.delete(workspace)
    this.workspaces.set(workspace, ws)
    if (this.workspaces.size > CACHED_WORKSPACES) this.workspaces.delete(this.workspaces.keys().next().value as string)
    const known = ws.files
    const dir = statOrUndefined(workspace)
    const dirStamp = dir === undefined || now - dir.mtimeMs < RACY_MS ? undefined : stampOf(dir)
    const absentStillAbsent = dirStamp !== undefined && ws.dirStamp === dirStamp
    ws.dirStamp = dirStamp
    const files = new Map<string, string>()
    for (const name of BOOTSTRAP_FILES) {
      if (absentStillAbsent && ws.absent.has(name)) continue
      const file = path.join(workspace, name)
      const info = statOrUndefined(file)
      if (info === undefined) ws.absent.add(name)
      else ws.absent.delete(name)
      if (info === undefined || !info.isFile()) {
        known.delete(name)
        continue
      }
      const stamp = stampOf(info)
      const cached = known.get(name)
      if (cached?.stamp === stamp) {
        files.set(name, cached.content)
        continue
      }
      try {
        const content = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
        known.set(name, {stamp, content})
        files.set(name, content)
      } catch {
        known.delete(name)
      }
    }
    return files
  }

  /** `now` as the prompt shows it (weekday, date and minute in `timeZone`), formatted once a minute. */
  formatNow(now: Date, timeZone: string | undefined): string {
    const key = `${timeZone ?? ''}\u0000${Math.floor(now.getTime() / 60_000)}`
    if (this.clock?.key !== key) this.clock = {key, text: formatPromptTime(now, timeZone)}
    return this.clock.text
  }
}

/** Unreadable counts as missing, like an absent file. */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, {throwIfNoEntry: false})
  } catch {
    return undefined
  }
}
