import type {LogTail} from '../logging/read-tail.js'

/** Where `openclaw logs` reads from (operations.md §7). */
export type LogsSource = 'gateway' | 'local'

/** One source of `logs.tail` answers: the gateway RPC or the local file, behind one shape. */
export interface TailReader {
  readonly source: LogsSource
  /** The next answer from `cursor` (absent = the tail), with protocol §6.4 semantics. */
  tail(cursor?: number): Promise<LogTail>
  /** Releases the socket, if any; safe to call twice. */
  close(): void
}

/** Shared sizing of every `logs.tail` call. */
export interface TailSizing {
  /** Most lines per answer (`-n/--limit`, 1..5000). */
  limit: number
  /** Most bytes per answer (`--max-bytes`, 1..1000000). */
  maxBytes: number
}
