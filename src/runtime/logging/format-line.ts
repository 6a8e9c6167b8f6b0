import type {LogLevel} from './levels.js'

/** Longest stored line in bytes, newline included (config.md §12: 64 KiB). */
export const MAX_LINE_BYTES = 65_536

/** Correlation ids a record may carry at its top level (config.md §12). */
export const CORRELATION_KEYS = ['agentId', 'sessionKey', 'runId', 'channel', 'accountId', 'connId'] as const
export type CorrelationKey = (typeof CORRELATION_KEYS)[number]

export interface ErrorInfo {
  name: string
  message: string
  code?: string
  stack?: string
}

/** One log record, already redacted, as every sink receives it. */
export interface LogRecord extends Partial<Record<CorrelationKey, string>> {
  time: Date
  level: LogLevel
  subsystem: string
  message: string
  pid: number
  data?: Record<string, unknown>
  err?: ErrorInfo
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Host-local ISO-8601 with milliseconds and offset: `2026-05-01T10:15:00.123+02:00`. */
export function formatLocalIso(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/** `{name, message, code?, stack?}` from anything thrown; the stack only when asked for. */
export function describeError(error: unknown, withStack: boolean): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' || typeof code === 'number' ? {code: String(code)} : {}),
      ...(withStack && error.stack !== undefined ? {stack: error.stack} : {}),
    }
  }
  return {name: 'NonError', message: typeof error === 'string' ? error : safeString(error)}
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function serialize(record: LogRecord, message: string, data: Record<string, unknown> | undefined, err: ErrorInfo | undefined, truncated: boolean): string {
  const out: Record<string, unknown> = {
    time: formatLocalIso(record.time),
    level: record.level,
    subsystem: record.subsystem,
    message,
    pid: record.pid,
  }
  for (const key of CORRELATION_KEYS) if (record[key] !== undefined) out[key] = record[key]
  if (data !== undefined) out.data = data
  if (err !== undefined) out.err = err
  if (truncated) out.truncated = true
  out._meta = {logLevelName: record.level.toUpperCase(), name: record.subsystem, date: record.time.toISOString()}
  return JSON.stringify(out)
}

const fits = (line: string, maxBytes: number) => line.length * 3 <= maxBytes || Buffer.byteLength(line, 'utf8') <= maxBytes

/** The longest prefix of `text` (never splitting a surrogate pair) for which `render` fits. */
function longestFittingPrefix(text: string, maxBytes: number, render: (prefix: string) => string): string | undefined {
  if (!fits(render(''), maxBytes)) return undefined
  let lo = 0
  let hi = Math.min(text.length, maxBytes)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(render(text.slice(0, mid)), maxBytes)) lo = mid
    else hi = mid - 1
  }
  const code = text.charCodeAt(lo - 1)
  const end = code >= 0xd800 && code <= 0xdbff ? lo - 1 : lo
  return text.slice(0, end)
}

/**
 * The JSONL line for a record (no newline): `time`, `level`, `subsystem`, `message`, `pid`,
 * correlation ids, `data`, `err`, `_meta: {logLevelName, name, date}`. A line that would pass
 * `maxBytes` (default 64 KiB minus the newline) gets `truncated: true` and loses, in this order
 * and only as far as needed: the end of the message, the stack, `data`, the end of `err.message`.
 */
export function formatLogLine(record: LogRecord, maxBytes = MAX_LINE_BYTES - 1): string {
  const full = serialize(record, record.message, record.data, record.err, false)
  if (fits(full, maxBytes)) return full
  let data = record.data
  let err = record.err
  const attempts: Array<() => void> = [
    () => undefined,
    () => {
      if (err?.stack !== undefined) err = {name: err.name, message: err.message, ...(err.code === undefined ? {} : {code: err.code})}
    },
    () => {
      data = undefined
    },
    () => {
      if (err !== undefined) err = {...err, message: err.message.slice(0, 1024)}
    },
  ]
  for (const shed of attempts) {
    shed()
    const message = longestFittingPrefix(record.message, maxBytes, (m) => serialize(record, m, data, err, true))
    if (message !== undefined) return serialize(record, message, data, err, true)
  }
  // Only an absurd subsystem or correlation id gets here; keep the line valid JSON and bounded.
  return JSON.stringify({time: formatLocalIso(record.time), level: record.level, subsystem: record.subsystem.slice(0, 256), message: '', pid: record.pid, truncated: true})
}
