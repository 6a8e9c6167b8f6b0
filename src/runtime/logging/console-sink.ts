import {CORRELATION_KEYS, formatLocalIso, formatLogLine, type LogRecord} from './format-line.js'
import type {LogLevel} from './levels.js'
import type {ConsoleStyle} from './settings.js'

/** The writable console output goes to: stderr in practice (stdout belongs to results). */
export interface ConsoleStream {
  write(chunk: string): unknown
}

export interface ConsoleFormat {
  style: ConsoleStyle
  /** Raw ANSI colours in `pretty`; the caller decides (TTY, NO_COLOR, --no-color). */
  color: boolean
}

export interface ConsoleSinkOptions extends ConsoleFormat {
  stream: ConsoleStream
}

export interface ConsoleSink {
  /** `jsonLine` saves formatting twice when the file sink already made it. */
  write(record: LogRecord, jsonLine?: string): void
}

const ANSI = {reset: '\x1b[0m', dim: '\x1b[2m', gray: '\x1b[90m', magenta: '\x1b[35m'}
const LEVEL_COLOUR: Record<LogLevel, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[1;31m',
}
const PRETTY_VALUE_MAX = 300

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `HH:MM:SS.mmm`, host-local unless `utc`. */
export function formatClock(date: Date, utc = false): string {
  return utc
    ? `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
    : `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** Control characters (ESC above all) from log text must not drive the terminal. */
function neutralize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function formatValue(value: unknown, max: number | undefined): string {
  const text = typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  return max !== undefined && text.length > max ? `${text.slice(0, max)}…` : text
}

function fieldsSuffix(record: LogRecord, max: number | undefined): string {
  const parts: string[] = []
  for (const key of CORRELATION_KEYS) if (record[key] !== undefined) parts.push(`${key}=${formatValue(record[key], max)}`)
  for (const [key, value] of Object.entries(record.data ?? {})) parts.push(`${key}=${formatValue(value, max)}`)
  if (record.err !== undefined) parts.push(`err=${formatValue(`${record.err.name}: ${record.err.message}`, max)}`)
  return parts.length === 0 ? '' : ' ' + parts.join(' ')
}

function stackSuffix(record: LogRecord): string {
  const stack = record.err?.stack
  if (stack === undefined) return ''
  return '\n' + stack.split('\n').slice(1).map((line) => `    ${line.trim()}`).join('\n')
}

/**
 * One console line (newline included):
 * - `pretty`: `10:15:00.123 INFO  gateway message key=value`, coloured when `color`;
 * - `compact`: `2026-05-01T10:15:00.123+02:00 INFO gateway: message key=value`, never coloured;
 * - `json`: the stored JSONL line.
 */
export function formatConsoleLine(record: LogRecord, jsonLine: string, format: ConsoleFormat): string {
  if (format.style === 'json') return jsonLine + '\n'
  const level = record.level.toUpperCase()
  if (format.style === 'compact') {
    return neutralize(`${formatLocalIso(record.time)} ${level} ${record.subsystem}: ${record.message}${fieldsSuffix(record, undefined)}`) + stackSuffix(record) + '\n'
  }
  const clock = formatClock(record.time)
  const message = neutralize(record.message)
  const suffix = neutralize(fieldsSuffix(record, PRETTY_VALUE_MAX))
  const subsystem = neutralize(record.subsystem)
  if (!format.color) return `${clock} ${level.padEnd(5)} ${subsystem} ${message}${suffix}${stackSuffix(record)}\n`
  const colour = LEVEL_COLOUR[record.level]
  return (
    `${ANSI.gray}${clock}${ANSI.reset} ${colour}${level.padEnd(5)}${ANSI.reset} ${ANSI.magenta}${subsystem}${ANSI.reset} ` +
    `${message}${suffix === '' ? '' : `${ANSI.dim}${suffix}${ANSI.reset}`}${stackSuffix(record)}\n`
  )
}

/** Writes records to `stream` in the given style. */
export function createConsoleSink(options: ConsoleSinkOptions): ConsoleSink {
  const format: ConsoleFormat = {style: options.style, color: options.color}
  return {
    write(record, jsonLine) {
      const line = jsonLine ?? (format.style === 'json' ? formatLogLine(record) : '')
      options.stream.write(formatConsoleLine(record, line, format))
    },
  }
}
