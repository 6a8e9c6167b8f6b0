import type {ParsedLogLine} from '../logging/read-tail.js'
import {openLogs, selectLines, type LogsRequest} from './open-logs.js'
import type {LogsSource} from './tail-reader.js'

export {type LogsRequest} from './open-logs.js'

/** `openclaw logs --json` without `--follow` (operations.md §7). */
export interface LogsView {
  source: LogsSource
  file: string
  /** Byte offset after the last returned line: pass it back to continue. */
  cursor: number
  /** The answer skipped bytes or lines (`--limit`/`--max-bytes` too small). */
  truncated: boolean
  /** Bytes before the tail were not read (`--max-bytes`): the one truncation worth a notice; keeping only the last `--limit` lines is what a tail does. */
  bytesSkipped: boolean
  lines: ParsedLogLine[]
}

/** Reads the tail once from the chosen source. Throws as `openLogs`. */
export async function readLogs(request: LogsRequest): Promise<{view: LogsView; warnings: string[]}> {
  const {reader, first, warnings} = await openLogs(request)
  reader.close()
  return {
    view: {source: reader.source, file: first.file, cursor: first.cursor, truncated: first.truncated === true, bytesSkipped: (first.skippedBytes ?? 0) > 0, lines: selectLines(first.lines, request.minLevel)},
    warnings,
  }
}
