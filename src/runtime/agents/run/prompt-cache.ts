/**
 * Per-runner memo of the system prompt's slow inputs (runtime.md §8.2): the workspace bootstrap
 * files, re-read only when a stat shows they changed (a stat of a missing file throws nothing,
 * unlike a read), and the "Runtime:" clock text, formatted once per minute and time zone (the
 * formatter is the costly part). Bounded: a gateway serving many agents keeps the most recent.
 */
import {readFileSync, statSync, type Stats} from 'node:fs'
import path from 'node:path'

import {BOOTSTRAP_FILES, nowFormatter} from './system-prompt.js'

/** Workspaces whose files are kept (least recently used dropped beyond this). */
const CACHED_WORKSPACES = 16

interface CachedFile {
  stamp: string
  content: string
}

/** Changes on every write (size, mtime, ctime) or replacement (inode) of the file. */
function stampOf(info: Stats): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
}

export class PromptCache {
  private readonly workspaces = new Map<string, Map<string, CachedFile>>()
  private readonly formatters = new Map<string, Intl.DateTimeFormat | null>()
  private clock: {key: string; text: string} | undefined

  /** The bootstrap files of `workspace` as on disk now (BOM stripped; unreadable = missing). */
  bootstrap(workspace: string): Map<string, string> {
    let known = this.workspaces.get(workspace)
    if (known === undefined) known = new Map()
    this.workspaces.delete(workspace)
    this.workspaces.set(workspace, known)
    if (this.workspaces.size > CACHED_WORKSPACES) this.workspaces.delete(this.workspaces.keys().next().value as string)
    const files = new Map<string, string>()
    for (const name of BOOTSTRAP_FILES) {
      const file = path.join(workspace, name)
      let info: Stats | undefined
      try {
        info = statSync(file, {throwIfNoEntry: false})
      } catch {
        info = undefined // unreadable: named missing, like an absent file
      }
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

  /** `now` as the prompt shows it: weekday, date and minute in `timeZone` (ISO when the zone is invalid). */
  formatNow(now: Date, timeZone: string | undefined): string {
    const key = `${timeZone ?? ''}\u0000${Math.floor(now.getTime() / 60_000)}`
    if (this.clock?.key === key) return this.clock.text
    let formatter = this.formatters.get(timeZone ?? '')
    if (formatter === undefined) {
      formatter = nowFormatter(timeZone)
      if (this.formatters.size >= CACHED_WORKSPACES) this.formatters.clear()
      this.formatters.set(timeZone ?? '', formatter)
    }
    if (formatter === null) return now.toISOString()
    this.clock = {key, text: formatter.format(now)}
    return this.clock.text
  }
}
