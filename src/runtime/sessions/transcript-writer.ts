/**
 * Appending to transcripts (runtime.md §5.3 Writing, §5.4): one write call per line, serialized per
 * file in this process, parentId chained to the file's last line, and a `\n` first when the file
 * does not end with one (a torn line from a crash becomes a skipped line). Lines are never rewritten.
 */
import type {FileInfo, StoreBackend} from './backend.js'
import type {ActiveContext, ForeignLine, NewLine, SessionHeader, TranscriptLine} from './store.js'
import {lastLineId, newLineId, parseTranscript} from './transcript-parse.js'

interface FileState {
  /** Bytes we believe the file has; a different size on disk means another writer: re-read. */
  size: number
  lastId: string | null
  ids: Set<string>
  endsWithNewline: boolean
  /** Set when another process may have written since (we just took the lock): stat before trusting. */
  stale?: boolean
  /** The parsed file, kept so a run's model steps do not re-read and re-parse it (§5.3 Reading). */
  header: SessionHeader | null
  lines: Array<TranscriptLine | ForeignLine>
  /** What a reader derived from `lines` (the store's active context); dropped with this state. */
  memo: TranscriptMemo
}

/** A reader's slot on a file's parsed state: a re-read file starts with an empty one. */
export interface TranscriptMemo {
  context?: {length: number; value: ActiveContext}
}

/**
 * Files whose state (ids, parsed lines) is kept; the least recently used beyond this is dropped and
 * re-read when next touched, so a gateway serving many sessions does not grow without bound. Well
 * above a burst's admitted sessions (a poll batch of 100 chats, each admitted before its run takes a
 * slot): with fewer, every run of such a burst re-read and re-parsed the transcript its admission had
 * just written. CACHED_BYTES bounds the memory.
 */
export const CACHED_FILES = 1024
/**
 * …and beyond this many transcript bytes in all (long upstream transcripts), keeping at least one.
 * Parsed lines take ~1.5× their file bytes of heap: 8 MB keeps ~12 MB, fit for a 512 MB board.
 */
export const CACHED_BYTES = 8 * 1024 * 1024

/** §5.4: what is fsynced without being asked. */
export function fsyncByDefault(line: NewLine): boolean {
  if (line.type === 'compaction') return true
  if (line.type === 'custom') return line.customType === 'openclaw.inbound' || line.customType === 'openclaw.session_end' || line.customType === 'openclaw.inbound_dropped'
  return line.message.role === 'user'
}

export class TranscriptWriter {
  private readonly files = new Map<string, FileState>()
  /** The size each cached state had when last remembered, and their sum (the eviction budget, kept in O(1)). */
  private readonly counted = new Map<string, number>()
  private bytes = 0
  private readonly chains = new Map<string, Promise<unknown>>()

  constructor(
    private readonly backend: StoreBackend,
    private readonly now: () => number,
    private readonly limits: {files: number; bytes: number} = {files: CACHED_FILES, bytes: CACHED_BYTES},
  ) {}

  /** Runs `fn` after every earlier queued operation on `file` (one writer per file). */
  serialize<T>(file: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(file) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.chains.set(file, tail)
    void tail.then(() => {
      if (this.chains.get(file) === tail) this.chains.delete(file)
    })
    return run
  }

  /** Creates a transcript with its header, fsynced (caller serializes). */
  async create(file: string, header: SessionHeader): Promise<void> {
    const text = JSON.stringify(header) + '\n'
    await this.backend.append(file, text, {fsync: true, created: true})
    this.remember(file, {size: Buffer.byteLength(text), lastId: null, ids: new Set(), endsWithNewline: true, header, lines: [], memo: {}})
  }

  /** The file's header and lines as this writer knows them (re-read when `seen` shows another writer). */
  async transcript(file: string, seen?: 'trusted'): Promise<{header: SessionHeader | null; lines: ReadonlyArray<TranscriptLine | ForeignLine>; memo: TranscriptMemo}> {
    const state = await this.state(file, seen)
    return {header: state.header, lines: state.lines, memo: state.memo}
  }

  /** Forget what we know of `file` (renamed, or another process may have written it). */
  forget(file: string): void {
    this.drop(file)
  }

  /** Whether this writer's state of `file` is current as far as this process knows (not `revalidate`d since). */
  knows(file: string): boolean {
    const known = this.files.get(file)
    return known !== undefined && known.stale !== true
  }

  /** Another process may have appended to `file`: check its size on the next append (re-read if it grew). */
  revalidate(file: string): void {
    const known = this.files.get(file)
    if (known !== undefined) known.stale = true
  }

  /**
   * Appends one line (caller serializes and made sure the file exists). `seen`: the caller's fresh
   * stat of the file, or `trusted` when no other process can have written it (we hold its lock).
   */
  async append(file: string, line: NewLine, fsync: boolean, seen?: FileInfo | 'trusted'): Promise<TranscriptLine> {
    const state = await this.state(file, seen)
    const id = newLineId(state.ids)
    // Field order as upstream writes it: type, id, parentId, timestamp, then the body.
    const {type, ...body} = line
    const ordered = {type, id, parentId: state.lastId, timestamp: new Date(this.now()).toISOString(), ...body} as TranscriptLine
    const text = (state.endsWithNewline ? '' : '\n') + JSON.stringify(ordered) + '\n'
    await this.backend.append(file, text, {fsync, created: false})
    state.size += Buffer.byteLength(text)
    state.endsWithNewline = true
    state.lastId = id
    state.ids.add(id)
    state.lines.push(ordered)
    // The line grew the cached bytes: hold the budget now, not at the next file touched.
    this.remember(file, state)
    return ordered
  }

  private async state(file: string, seen?: FileInfo | 'trusted'): Promise<FileState> {
    const known = this.files.get(file)
    if (known !== undefined && seen === 'trusted' && known.stale !== true) return this.remember(file, known)
    const info = seen === undefined || seen === 'trusted' ? await this.backend.stat(file) : seen
    if (known !== undefined && info !== null && info.size === known.size) {
      known.stale = false
      return this.remember(file, known)
    }
    const text = (await this.backend.read(file)) ?? ''
    const parsed = parseTranscript(text, file)
    const ids = new Set(parsed.lines.flatMap((l) => (typeof l.id === 'string' ? [l.id] : [])))
    return this.remember(file, {size: Buffer.byteLength(text), lastId: lastLineId(parsed.lines), ids, endsWithNewline: text === '' || text.endsWith('\n'), header: parsed.header, lines: parsed.lines, memo: {}})
  }

  /** Marks `file` most recently used, dropping the least recently used state beyond the limits. */
  private remember(file: string, state: FileState): FileState {
    this.drop(file)
    this.files.set(file, state)
    this.counted.set(file, state.size)
    this.bytes += state.size
    for (const name of this.files.keys()) {
      if (this.files.size <= 1 || (this.files.size <= this.limits.files && this.bytes <= this.limits.bytes)) break
      this.drop(name)
    }
    return state
  }

  private drop(file: string): void {
    this.files.delete(file)
    this.bytes -= this.counted.get(file) ?? 0
    this.counted.delete(file)
  }
}
