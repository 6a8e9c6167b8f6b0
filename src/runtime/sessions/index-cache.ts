/**
 * The in-process copy of `sessions.json` (runtime.md §5.2): loaded lazily, reloaded when another
 * process rewrote the file, and written by one serialized writer that batches concurrent changes
 * into one atomic write under the cross-process index lock. An unparseable index is never
 * overwritten: it is renamed `sessions.json.corrupt.<ts>` and rebuilt from transcript headers.
 */
import {AppError, isAppError} from '../errors/app-error.js'
import {archiveStamp, parseArchiveName, sessionIdOfFile} from './archive-names.js'
import type {StoreBackend} from './backend.js'
import type {SessionEntry} from './store.js'
import {asHeader} from './transcript-parse.js'

export const INDEX_FILE = 'sessions.json'

/**
 * How long lazy changes wait for company before their write: a busy gateway's turns share one
 * index write (lock, serialization of every entry, fsyncs) instead of paying one each.
 */
export const LAZY_WRITE_DELAY_MS = 250

/** Raw index: key → entry object, with unknown fields (and non-entry values) kept verbatim. */
export type RawIndex = Record<string, SessionEntry>

interface PendingChange {
  apply: (index: RawIndex) => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export interface IndexEvents {
  corruptRenamedTo: string | null
  rebuiltEntries: number
}

export class IndexCache {
  private index: RawIndex | null = null
  private version: string | null = null
  private pending: PendingChange[] = []
  /**
   * Lazy changes (`mutateLazy`): already applied to the in-memory copy, not yet written. They are
   * applied again to a copy reloaded from disk until a write includes them.
   */
  private lazy: Array<(index: RawIndex) => unknown> = []
  private flushing: Promise<void> | null = null
  private lazyTimer: NodeJS.Timeout | undefined
  readonly events: IndexEvents = {corruptRenamedTo: null, rebuiltEntries: 0}

  constructor(
    private readonly backend: StoreBackend,
    private readonly now: () => number,
  ) {}

  /** The current index (reloaded when the file changed on disk). */
  async read(): Promise<Readonly<RawIndex>> {
    const version = await this.backend.version(INDEX_FILE)
    // While our own writer is flushing, the file changes under each write and the in-memory copy is
    // the freshest view (the flush reloads other processes' changes under the lock): no lock wait,
    // so readers are not starved by a stream of lazy writes.
    if (this.index !== null && (version === this.version || this.flushing !== null)) return this.index
    return this.backend.withIndexLock(() => this.reload())
  }

  /**
   * Applies `change` to the freshest index and writes it atomically; resolves with the change's
   * return value once the write that includes it is durable. A change that throws is rejected
   * alone and must not have mutated the index before throwing.
   */
  mutate<T>(change: (index: RawIndex) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({apply: change, resolve: resolve as (value: unknown) => void, reject})
      void this.startFlush()
    })
  }

  /**
   * Applies `change` to the in-memory index now (readers in this process see it at once) and
   * writes it with the next index write, at the latest LAZY_WRITE_DELAY_MS later, unawaited: the
   * index may lag the transcripts (§5.2), which stay the record. Throws like `change` does, having
   * written nothing. `flush()` resolves once every lazy change made so far is durable.
   */
  async mutateLazy<T>(change: (index: RawIndex) => T): Promise<T> {
    await this.read()
    const value = change(this.index as RawIndex)
    this.lazy.push(change)
    this.scheduleLazyWrite()
    return value
  }

  /** Resolves once every change made so far (lazy ones included) is written, or failed to be. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.flushing !== null) await this.flushing
      else if (this.lazyTimer !== undefined) await this.startFlush()
      else return
    }
  }

  private scheduleLazyWrite(): void {
    // Not unref'd: a process that forgets to flush exits a moment later rather than losing the change.
    if (this.flushing === null) this.lazyTimer ??= setTimeout(() => void this.startFlush(), LAZY_WRITE_DELAY_MS)
  }

  private startFlush(): Promise<void> {
    clearTimeout(this.lazyTimer)
    this.lazyTimer = undefined
    this.flushing ??= this.flushAll().catch(() => true).then((lazyFailed) => {
      this.flushing = null
      // A change can arrive between the writer's last look and here (its caller resumed first).
      if (this.pending.length > 0) void this.startFlush()
      // Lazy changes made during the last write wait for the next one; after a failed write, for the next change.
      else if (!lazyFailed && this.lazy.length > 0) this.scheduleLazyWrite()
    })
    return this.flushing
  }

  /** Writes until no awaited change is left (lazy ones ride along); true when a lazy-only write failed. */
  private async flushAll(): Promise<boolean> {
    let first = true
    while (this.pending.length > 0 || (first && this.lazy.length > 0)) {
      first = false
      const batch = this.pending.splice(0)
      const outcomes: Array<{ok: true; value: unknown} | {ok: false; error: unknown}> = []
      try {
        await this.backend.withIndexLock(async () => {
          const index = await this.reload()
          for (const change of batch) {
            try {
              outcomes.push({ok: true, value: change.apply(index)})
            } catch (error) {
              outcomes.push({ok: false, error})
            }
          }
          if (outcomes.some((o) => o.ok) || this.lazy.length > 0) {
            // Every lazy change made before this synchronous serialization is in the text.
            const included = this.lazy.length
            await this.write(index)
            this.lazy.splice(0, included)
          }
        })
      } catch (error) {
        this.index = null // the in-memory copy may hold unwritten changes: reload next time
        if (batch.length === 0) return true // only lazy changes: they stay queued for the next write
        for (const change of batch) change.reject(storeError(error, this.backend.dir))
        continue
      }
      batch.forEach((change, i) => {
        const outcome = outcomes[i]
        if (outcome.ok) change.resolve(outcome.value)
        else change.reject(outcome.error)
      })
    }
    return false
  }

  private async write(index: RawIndex): Promise<void> {
    await this.backend.writeAtomic(INDEX_FILE, JSON.stringify(index, null, 2) + '\n')
    this.version = await this.backend.version(INDEX_FILE)
  }

  /** A copy freshly read from disk lacks the unwritten lazy changes: apply them again. */
  private withLazy(index: RawIndex): RawIndex {
    for (const change of this.lazy) {
      try {
        change(index)
      } catch {
        // The entry changed under us (deleted, reset by another process): that change is moot.
      }
    }
    return index
  }

  /** Loads from disk when changed; called with the index lock held. */
  private async reload(): Promise<RawIndex> {
    const version = await this.backend.version(INDEX_FILE)
    if (this.index !== null && version === this.version) return this.index
    const text = await this.backend.read(INDEX_FILE)
    if (text === null) {
      // A lost index (deleted, or a disk that kept the transcripts only) must not make the next
      // message mint a new sessionId beside the transcripts (§5.2): rebuild it from them.
      const rebuilt = await this.rebuild({setAside: false})
      this.index = this.withLazy(rebuilt)
      if (Object.keys(rebuilt).length > 0) await this.write(this.index)
      else this.version = version
      return this.index
    }
    const parsed = parseIndex(text)
    if (parsed === null) {
      this.index = this.withLazy(await this.rebuild({setAside: true}))
      await this.write(this.index)
      return this.index
    }
    this.index = this.withLazy(parsed)
    this.version = version
    return this.index
  }

  /** Rebuilds the index from transcript headers (newest per key), first renaming an unparseable one aside. */
  private async rebuild(options: {setAside: boolean}): Promise<RawIndex> {
    const files = await this.backend.list()
    if (options.setAside) {
      const taken = new Set(files.map((f) => f.name))
      let aside = `${INDEX_FILE}.corrupt.${archiveStamp(this.now())}`
      for (let n = 2; taken.has(aside); n++) aside = `${INDEX_FILE}.corrupt.${archiveStamp(this.now())}-${n}`
      await this.backend.rename(INDEX_FILE, aside)
      this.events.corruptRenamedTo = aside
    }
    const index: RawIndex = {}
    const started = new Map<string, number>()
    for (const file of files) {
      if (sessionIdOfFile(file.name) === null || parseArchiveName(file.name) !== null) continue
      const head = await this.backend.read(file.name)
      const header = asHeader(safeParse(head?.slice(0, head.indexOf('\n') >>> 0) ?? ''))
      if (header === null || typeof header.sessionKey !== 'string') continue
      const at = Date.parse(header.timestamp) || file.mtimeMs
      if ((started.get(header.sessionKey) ?? -Infinity) >= at) continue
      started.set(header.sessionKey, at)
      const compactionCount = countCompactions(head ?? '')
      index[header.sessionKey] = {sessionId: header.id, sessionFile: file.name, sessionStartedAt: at, lastInteractionAt: file.mtimeMs, updatedAt: file.mtimeMs, ...(compactionCount > 0 ? {compactionCount} : {})}
    }
    this.events.rebuiltEntries = Object.keys(index).length
    return index
  }
}

/** Compaction lines in a transcript: a rebuilt index keeps the count `/status` shows. */
function countCompactions(transcript: string): number {
  let count = 0
  for (const line of transcript.split('\n')) {
    if (!line.includes('"compaction"')) continue
    const parsed = safeParse(line) as {type?: unknown} | undefined
    if (parsed?.type === 'compaction') count++
  }
  return count
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The index object, or null when the text is not a JSON object (a corrupt index). */
function parseIndex(text: string): RawIndex | null {
  const value = safeParse(text)
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawIndex) : null
}

function storeError(error: unknown, dir: string): unknown {
  if (isAppError(error)) return error
  return new AppError('SESSION_STORE_FAILED', `The session index in ${dir} could not be written: ${(error as Error).message}`, {hint: [`Check the permissions and free space of ${dir}, then: openclaw doctor`], cause: error})
}
