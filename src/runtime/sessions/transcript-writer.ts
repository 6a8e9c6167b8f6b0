/**
 * Appending to transcripts (runtime.md §5.3 Writing, §5.4): one write call per line, serialized per
 * file in this process, parentId chained to the file's last line, and a `\n` first when the file
 * does not end with one (a torn line from a crash becomes a skipped line). Lines are never rewritten.
 */
import type {StoreBackend} from './backend.js'
import type {NewLine, SessionHeader, TranscriptLine} from './store.js'
import {lastLineId, newLineId, parseTranscript} from './transcript-parse.js'

interface FileState {
  /** Bytes we believe the file has; a different size on disk means another writer: re-read. */
  size: number
  lastId: string | null
  ids: Set<string>
  endsWithNewline: boolean
}

/** §5.4: what is fsynced without being asked. */
export function fsyncByDefault(line: NewLine): boolean {
  if (line.type === 'compaction') return true
  if (line.type === 'custom') return line.customType === 'openclaw.inbound' || line.customType === 'openclaw.session_end' || line.customType === 'openclaw.inbound_dropped'
  return line.message.role === 'user'
}

export class TranscriptWriter {
  private readonly files = new Map<string, FileState>()
  private readonly chains = new Map<string, Promise<unknown>>()

  constructor(
    private readonly backend: StoreBackend,
    private readonly now: () => number,
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
    this.files.set(file, {size: Buffer.byteLength(text), lastId: null, ids: new Set(), endsWithNewline: true})
  }

  /** Forget what we know of `file` (renamed, or another process may have written it). */
  forget(file: string): void {
    this.files.delete(file)
  }

  /** Appends one line (caller serializes and made sure the file exists). */
  async append(file: string, line: NewLine, fsync: boolean): Promise<TranscriptLine> {
    const state = await this.state(file)
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
    return ordered
  }

  private async state(file: string): Promise<FileState> {
    const known = this.files.get(file)
    const info = await this.backend.stat(file)
    if (known !== undefined && info !== null && info.size === known.size) return known
    const text = (await this.backend.read(file)) ?? ''
    const parsed = parseTranscript(text, file)
    const ids = new Set(parsed.lines.flatMap((l) => (typeof l.id === 'string' ? [l.id] : [])))
    const state: FileState = {size: Buffer.byteLength(text), lastId: lastLineId(parsed.lines), ids, endsWithNewline: text === '' || text.endsWith('\n')}
    this.files.set(file, state)
    return state
  }
}
