/**
 * Watches the config file and every included file (config.md §8) by watching their directories,
 * so an editor's write-then-rename is seen as well as an in-place write. Events for other names
 * in those directories (temp files, `.bak`, `.lock`) are ignored. After `debounceMs` of quiet the
 * callback runs once. The watches never keep the process alive on their own.
 */
import {watch, type FSWatcher} from 'node:fs'
import path from 'node:path'

export interface ConfigWatcherOptions {
  /** Absolute paths: the top config file, then included files. */
  files: readonly string[]
  /** Quiet time after the last event before `onChange` (ms). */
  debounceMs: number
  onChange(): void
  /** A directory that cannot be watched (missing, permissions); the others still are. */
  onWatchError?(dir: string, error: Error): void
}

export interface ConfigWatcher {
  /** The directories being watched. */
  readonly dirs: readonly string[]
  /** Stops every watch and a pending debounce. Idempotent. */
  close(): void
}

/** Starts watching; see the module comment. */
export function watchConfigFiles(options: ConfigWatcherOptions): ConfigWatcher {
  const namesByDir = new Map<string, Set<string>>()
  for (const file of options.files) {
    const dir = path.dirname(file)
    const names = namesByDir.get(dir) ?? new Set<string>()
    names.add(path.basename(file))
    namesByDir.set(dir, names)
  }
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const fire = () => {
    timer = undefined
    if (!closed) options.onChange()
  }
  const schedule = () => {
    if (closed) return
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(fire, options.debounceMs)
  }
  const watchers: FSWatcher[] = []
  const dirs: string[] = []
  for (const [dir, names] of namesByDir) {
    try {
      const watcher = watch(dir, {persistent: false}, (_event, filename) => {
        // Some platforms omit the name: then any event in the directory counts.
        if (filename === null || names.has(filename.toString())) schedule()
      })
      watcher.on('error', (error) => options.onWatchError?.(dir, error))
      watchers.push(watcher)
      dirs.push(dir)
    } catch (error) {
      options.onWatchError?.(dir, error as Error)
    }
  }
  return {
    dirs,
    close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
