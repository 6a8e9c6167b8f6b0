/** Output of `openclaw logs` (operations.md §7): human lines, the stderr header, JSON Lines. */
import {Chalk, type ChalkInstance} from 'chalk'

import {formatClock} from '../runtime/logging/console-sink.js'
import type {ParsedLogLine} from '../runtime/logging/read-tail.js'
import type {LogsEvent} from '../runtime/logs/follow-logs.js'
import type {LogsView} from '../runtime/logs/read-logs.js'

export interface LogLineStyle {
  /** Clock in UTC instead of host-local time (`--utc`). */
  utc: boolean
  /** Colour by level (a TTY without `--plain`/`--no-color`/NO_COLOR). */
  color: boolean
}

const LEVEL_COLOUR: Record<string, (c: ChalkInstance) => ChalkInstance> = {
  trace: (c) => c.gray,
  debug: (c) => c.cyan,
  info: (c) => c.green,
  warn: (c) => c.yellow,
  error: (c) => c.red,
  fatal: (c) => c.bold.red,
}

/** Log lines go to stdout: colour them only when it is a TTY and nobody said no (`--plain`, `--no-color`, NO_COLOR). */
export function stdoutColour(plain: boolean): boolean {
  return !plain && !process.env.NO_COLOR && Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb'
}

/** `Log file: <path> (via gateway|local)`, for stderr. */
export function logsHeader(source: 'gateway' | 'local', file: string): string {
  return `Log file: ${file} (${source === 'gateway' ? 'via gateway' : 'local'})`
}

/** Control characters from a log line (ESC above all) must not drive the terminal. */
function neutralize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** `HH:MM:SS.mmm LEVEL subsystem message`; a line we cannot read (no time or level) prints raw. */
export function renderLogLine(line: ParsedLogLine, style: LogLineStyle): string {
  const date = line.time === null ? null : new Date(line.time)
  if (date === null || Number.isNaN(date.getTime()) || line.level === null) return neutralize(line.raw)
  const chalk = new Chalk({level: style.color ? 1 : 0})
  const level = line.level.toUpperCase().padEnd(5)
  const paintLevel = LEVEL_COLOUR[line.level]?.(chalk) ?? chalk.reset
  const subsystem = line.subsystem === null ? '' : `${chalk.magenta(neutralize(line.subsystem))} `
  return `${chalk.gray(formatClock(date, style.utc))} ${paintLevel(level)} ${subsystem}${neutralize(line.message)}`
}

/** stdout lines of a one-shot read. */
export function renderLogsView(view: LogsView, style: LogLineStyle): string[] {
  return view.lines.map((line) => renderLogLine(line, style))
}

/** One JSON Line of `logs --follow --json`. */
export function logsEventJson(event: LogsEvent | {type: 'error'; code: string; message: string}): string {
  return JSON.stringify(event)
}

export interface LogsPrinterOptions extends LogLineStyle {
  json: boolean
  stdout: {write(chunk: string): unknown}
  stderr: {write(chunk: string): unknown}
}

/**
 * Prints follow events as they come: JSON Lines on stdout, or for humans the header and notices
 * on stderr and log lines on stdout.
 */
export function createLogsPrinter(options: LogsPrinterOptions): (event: LogsEvent) => void {
  return (event) => {
    if (options.json) {
      options.stdout.write(logsEventJson(event) + '\n')
      return
    }
    if (event.type === 'meta') options.stderr.write(logsHeader(event.source, event.file) + '\n')
    else if (event.type === 'notice') options.stderr.write(event.message + '\n')
    else options.stdout.write(renderLogLine(event, options) + '\n')
  }
}
