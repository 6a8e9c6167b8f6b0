import {open} from 'node:fs/promises'

import {AppError} from '../errors/app-error.js'

const NEWLINE = 0x0a

export interface ReadLogTailOptions {
  /** Absolute path of today's log file (or `logging.file`). */
  file: string
  /** Byte offset from the previous answer; absent = start from the tail. */
  cursor?: number
  /** Most lines to return (`logs.tail`: 1..5000, default 500). */
  limit: number
  /** Most bytes to read (`logs.tail`: 1..1000000, default 250000). */
  maxBytes: number
  /** `file` of this reader's previous answer: a different name (day rollover) resets. */
  previousFile?: string
}

/** The `logs.tail` result (protocol.md §6.4); optional fields appear only when true/non-zero. */
export interface LogTail {
  file: string
  cursor: number
  size: number
  lines: string[]
  truncated?: true
  skippedBytes?: number
  reset?: true
}

export interface ParsedLogLine {
  time: string | null
  level: string | null
  subsystem: string | null
  /** The message, or the raw line when it is not one of ours. */
  message: string
  raw: string
}

/**
 * Reads complete lines from a log file by byte cursor (protocol.md §6.4):
 * - no cursor: the last `maxBytes` bytes; a cursor past the end or a changed file name resets
 *   (`reset: true`) and reads as if no cursor was given;
 * - more than `maxBytes` unread: jump to `size − maxBytes` with `truncated`, `skippedBytes`;
 * - a partial first line is dropped, a last line without `\n` is held back; the returned
 *   cursor is the offset after the last complete line;
 * - over `limit` lines: the last `limit`, with `truncated`.
 * A missing file answers `{file, cursor: 0, size: 0, lines: []}`. Throws LOG_FILE_UNREADABLE.
 */
export async function readLogTail(options: ReadLogTailOptions): Promise<LogTail> {
  const {file, limit, maxBytes} = options
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {file, cursor: 0, size: 0, lines: []}
    throw unreadable(file, error)
  }
  try {
    const size = (await handle.stat()).size
    let cursor = options.cursor
    const reset = cursor !== undefined && (cursor > size || (options.previousFile !== undefined && options.previousFile !== file))
    if (reset) cursor = undefined
    let start = cursor ?? Math.max(0, size - maxBytes)
    let skippedBytes = 0
    if (cursor !== undefined && size - cursor > maxBytes) {
      start = size - maxBytes
      skippedBytes = start - cursor
    }
    // One byte before `start` tells whether it sits on a line boundary.
    const from = start > 0 ? start - 1 : 0
    const buffer = Buffer.alloc(size - from)
    let filled = 0
    while (filled < buffer.length) {
      const {bytesRead} = await handle.read(buffer, filled, buffer.length - filled, from + filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    const data = buffer.subarray(0, filled)
    let first = start - from
    if (start > 0 && data[0] !== NEWLINE) {
      const nl = data.indexOf(NEWLINE, first)
      first = nl === -1 ? -1 : nl + 1
    }
    const result: LogTail = {file, cursor: start, size, lines: []}
    if (first !== -1) {
      const end = data.lastIndexOf(NEWLINE) + 1
      result.cursor = from + Math.max(first, end)
      if (end > first) result.lines = data.toString('utf8', first, end - 1).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l !== '')
    }
    const overLimit = result.lines.length > limit
    if (overLimit) result.lines = result.lines.slice(-limit)
    if (skippedBytes > 0 || overLimit) result.truncated = true
    if (skippedBytes > 0) result.skippedBytes = skippedBytes
    if (reset) result.reset = true
    return result
  } catch (error) {
    throw unreadable(file, error)
  } finally {
    await handle.close()
  }
}

function unreadable(file: string, error: unknown): AppError {
  return new AppError('LOG_FILE_UNREADABLE', `cannot read log file ${file}: ${(error as Error).message}`, {
    hint: [`ls -l ${file}`, 'openclaw logs  (reads through the gateway, which owns the file)'],
    cause: error,
  })
}

/** Upstream (tslog) lines keep the subsystem in `_meta.name`, sometimes as `{"subsystem":"x"}`. */
function upstreamSubsystem(name: unknown): string | null {
  if (typeof name !== 'string') return null
  if (!name.startsWith('{')) return name
  try {
    const parsed = JSON.parse(name) as {subsystem?: unknown}
    return typeof parsed.subsystem === 'string' ? parsed.subsystem : name
  } catch {
    return name
  }
}

/**
 * Reads one stored line leniently: our JSONL records, upstream OpenClaw's tslog lines
 * (`_meta.logLevelName`, numbered message parts), or anything else as a raw message.
 */
export function parseLogLine(raw: string): ParsedLogLine {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return {time: null, level: null, subsystem: null, message: raw, raw}
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {time: null, level: null, subsystem: null, message: raw, raw}
  const record = value as Record<string, unknown>
  const meta = (typeof record._meta === 'object' && record._meta !== null ? record._meta : {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  const time = str(record.time) ?? str(meta.date)
  const level = (str(record.level) ?? str(meta.logLevelName))?.toLowerCase() ?? null
  const subsystem = str(record.subsystem) ?? upstreamSubsystem(meta.name)
  let message = str(record.message) ?? str(record.msg)
  if (message === null) {
    const parts = Object.keys(record).filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b)).map((k) => record[k])
    const texts = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).filter((t) => !(t.startsWith('{"subsystem"')))
    message = texts.length > 0 ? texts.join(' ') : raw
  }
  return {time, level, subsystem, message, raw}
}
