/**
 * The storage under a session store: named files in one sessions directory. The file backend is the
 * real one; the memory backend is its twin for tests. Store logic lives once, above this seam.
 */
import type {LockHolder} from './store.js'

export interface FileInfo {
  name: string
  size: number
  mtimeMs: number
}

export interface StoreBackend {
  /** Absolute sessions directory (a label for the memory backend). */
  readonly dir: string
  /** Whole file text, or null when absent. */
  read(name: string): Promise<string | null>
  /** The last `maxBytes` of a file (may start mid-line), or null when absent. */
  readTail(name: string, maxBytes: number): Promise<string | null>
  stat(name: string): Promise<FileInfo | null>
  /** Every file in the directory. */
  list(): Promise<FileInfo[]>
  /** Atomic replace, 0600 (temp + fsync + rename + dir fsync). */
  writeAtomic(name: string, text: string): Promise<void>
  /** One write call appending `text`; `fsync` flushes it; `created` also syncs the directory entry. */
  append(name: string, text: string, options: {fsync: boolean; created: boolean}): Promise<void>
  rename(from: string, to: string): Promise<void>
  remove(name: string): Promise<void>
  /** A token that changes whenever `name` is rewritten (another process wrote the index). */
  version(name: string): Promise<string | null>
  /** Cross-process exclusion around an index read-modify-write (`sessions.json.lock`, 10 s). */
  withIndexLock<T>(fn: () => Promise<T>): Promise<T>
  /** The transcript lock of §5.5 (`<file>.lock`); throws SESSION_LOCKED naming the holder. */
  lockFile(name: string, owner: LockHolder['owner']): Promise<{release(): Promise<void>}>
}
