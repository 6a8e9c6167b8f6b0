import type {AppError} from '../errors/app-error.js'
import type {Env} from '../paths.js'
import {createConsoleSink, type ConsoleSink, type ConsoleStream} from './console-sink.js'
import {diagnosticFlags, matchesDiagnosticFlag} from './diagnostic-flags.js'
import {createFileSink, type FileSink} from './file-sink.js'
import {CORRELATION_KEYS, describeError, formatLogLine, type CorrelationKey, type LogRecord} from './format-line.js'
import {moreVerbose, passesLevel, resolveLogLevels, type LevelSetting, type LogLevel, type ResolvedLogLevels} from './levels.js'
import {resolveLogFile, type LogFileLocation, type LogLocationContext} from './log-file-path.js'
import {compileRedactPatterns, createRedactor, type Redactor} from './redact.js'
import {DEFAULT_MAX_FILE_BYTES, type DiagnosticsSettings, type LoggingSettings} from './settings.js'

/**
 * Per-call fields: `err` (anything thrown), correlation ids (top level of the record), `data`
 * (merged) and any other key, which lands in `data`.
 */
export type LogFields = Partial<Record<CorrelationKey, string>> & {err?: unknown; data?: Record<string, unknown>; [key: string]: unknown}

export interface Logger {
  readonly subsystem: string
  trace(message: string, fields?: LogFields): void
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  fatal(message: string, fields?: LogFields): void
  /** A logger for the full subsystem name given (`gateway/ws`), sharing sinks and settings. */
  child(subsystem: string, fields?: LogFields): Logger
  /** True when a record at `level` from this subsystem reaches any sink: guard costly fields. */
  isLevelEnabled(level: LogLevel): boolean
  /** Applies a reloaded config to every logger of this family; `secrets` replaces the set when given. */
  reconfigure(logging: LoggingSettings | undefined, diagnostics: DiagnosticsSettings | undefined, secrets?: readonly string[]): void
  /** The file log's current location, or null without a file sink. */
  logFile(): LogFileLocation | null
  /** Closes the file; later calls on any logger of the family do nothing. */
  close(): void
}

export interface LoggerConsoleOptions {
  stream: ConsoleStream
  /** Picks the default style: `pretty` on a TTY, else `compact`. */
  isTTY: boolean
  /** Colours in `pretty`; the caller folds in NO_COLOR and --no-color. */
  color: boolean
}

export interface LoggerOptions {
  /** The root subsystem (`gateway`, `cli`). */
  subsystem: string
  /** Read for OPENCLAW_LOG_LEVEL and OPENCLAW_DIAGNOSTICS only; the logger never reads process.env. */
  env: Env
  logging?: LoggingSettings
  diagnostics?: DiagnosticsSettings
  /** `--verbose`: console at debug. */
  verbose?: boolean
  /** Configured secret values, always redacted (config.md §12). */
  secrets?: readonly string[]
  /** Where the file log lives (`logLocationContext(paths)`); null or absent = no file log. */
  file?: LogLocationContext | null
  /** Console log (stderr); null or absent = none. */
  console?: LoggerConsoleOptions | null
  /** Told when the file log fails; by default a `warn` goes to the console sink. */
  onFileError?: (error: AppError) => void
  now?: () => Date
  pid?: number
}

interface Core {
  levels: ResolvedLogLevels
  flags: string[]
  forced: Map<string, boolean>
  redactor: Redactor
  consoleSink: ConsoleSink | null
  fileSink: FileSink | null
  closed: boolean
}

const SPECIAL_KEYS = new Set<string>(['err', 'data', ...CORRELATION_KEYS])

/**
 * Creates the root logger (config.md §12). Throws ENV_INVALID for a bad OPENCLAW_LOG_LEVEL.
 * Diagnostics flags force `debug` into the file log for matching subsystems; the console keeps
 * its own level, which `--verbose` and `--log-level` control.
 */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date())
  const pid = options.pid ?? process.pid
  let logging = options.logging
  let secrets = options.secrets ?? []
  const fileOptions = options.file ?? null
  const consoleOptions = options.console ?? null

  const locate = (at: Date): LogFileLocation => {
    if (fileOptions === null) throw new Error('no file sink')
    return resolveLogFile({...fileOptions, logging, now: at})
  }

  const core: Core = {levels: {file: 'info', console: 'info'}, flags: [], forced: new Map(), redactor: createRedactor(), consoleSink: null, fileSink: null, closed: false}

  const reportFileError = (error: AppError) => {
    if (options.onFileError !== undefined) return options.onFileError(error)
    if (core.consoleSink === null) return
    const record: LogRecord = {time: now(), level: 'warn', subsystem: 'logging', message: `file log disabled: ${core.redactor.text(error.message)}`, pid}
    core.consoleSink.write(record)
  }

  const apply = (nextLogging: LoggingSettings | undefined, diagnostics: DiagnosticsSettings | undefined) => {
    core.levels = resolveLogLevels({env: options.env, logging: nextLogging, verbose: options.verbose})
    core.flags = diagnosticFlags(diagnostics, options.env)
    core.forced = new Map()
    core.redactor = createRedactor({secrets, mode: nextLogging?.redactSensitive ?? 'tools', patterns: compileRedactPatterns(nextLogging?.redactPatterns).patterns})
    core.consoleSink =
      consoleOptions === null
        ? null
        : createConsoleSink({stream: consoleOptions.stream, color: consoleOptions.color, style: nextLogging?.consoleStyle ?? (consoleOptions.isTTY ? 'pretty' : 'compact')})
    const maxFileBytes = nextLogging?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    if (fileOptions === null) core.fileSink = null
    else if (core.fileSink === null) core.fileSink = createFileSink({locate, maxFileBytes, uid: fileOptions.uid, onError: reportFileError})
    else core.fileSink.reopen(maxFileBytes)
  }
  apply(logging, options.diagnostics)

  const fileThreshold = (subsystem: string): LevelSetting => {
    let forced = core.forced.get(subsystem)
    if (forced === undefined) {
      forced = matchesDiagnosticFlag(subsystem, core.flags)
      core.forced.set(subsystem, forced)
    }
    return forced ? moreVerbose(core.levels.file, 'debug') : core.levels.file
  }

  const emit = (level: LogLevel, subsystem: string, base: LogFields | undefined, message: string, fields: LogFields | undefined) => {
    if (core.closed) return
    const threshold = fileThreshold(subsystem)
    const toFile = core.fileSink !== null && passesLevel(level, threshold)
    const toConsole = core.consoleSink !== null && passesLevel(level, core.levels.console)
    if (!toFile && !toConsole) return
    const record: LogRecord = {time: now(), level, subsystem, message: core.redactor.text(String(message)), pid}
    const merged = mergeFields(base, fields)
    // Stacks only when the file log runs at debug/trace, and always for fatal (operations.md §3.4).
    if (merged !== undefined) fillFields(record, merged, core.redactor, level === 'fatal' || passesLevel('debug', threshold))
    const line = toFile ? formatLogLine(record) : undefined
    if (line !== undefined) core.fileSink?.write(line, record.time)
    if (toConsole) {
      try {
        core.consoleSink?.write(record, line)
      } catch {
        // A closed stderr must not take the process down with it.
      }
    }
  }

  const make = (subsystem: string, base: LogFields | undefined): Logger => ({
    subsystem,
    trace: (message, fields) => emit('trace', subsystem, base, message, fields),
    debug: (message, fields) => emit('debug', subsystem, base, message, fields),
    info: (message, fields) => emit('info', subsystem, base, message, fields),
    warn: (message, fields) => emit('warn', subsystem, base, message, fields),
    error: (message, fields) => emit('error', subsystem, base, message, fields),
    fatal: (message, fields) => emit('fatal', subsystem, base, message, fields),
    child: (name, fields) => make(name, mergeFields(base, fields)),
    isLevelEnabled: (level) =>
      !core.closed && ((core.fileSink !== null && passesLevel(level, fileThreshold(subsystem))) || (core.consoleSink !== null && passesLevel(level, core.levels.console))),
    reconfigure(nextLogging, diagnostics, nextSecrets) {
      logging = nextLogging
      if (nextSecrets !== undefined) secrets = nextSecrets
      apply(nextLogging, diagnostics)
    },
    logFile: () => (fileOptions === null ? null : locate(now())),
    close() {
      core.closed = true
      core.fileSink?.close()
    },
  })
  return make(options.subsystem, undefined)
}

function mergeFields(base: LogFields | undefined, fields: LogFields | undefined): LogFields | undefined {
  if (base === undefined) return fields
  if (fields === undefined) return base
  const merged: LogFields = {...base, ...fields}
  if (base.data !== undefined && fields.data !== undefined) merged.data = {...base.data, ...fields.data}
  return merged
}

/** Copies err, correlation ids and data from call fields into the record, redacted. */
function fillFields(record: LogRecord, fields: LogFields, redactor: Redactor, withStack: boolean): void {
  let data: Record<string, unknown> | undefined
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (!SPECIAL_KEYS.has(key)) {
      data ??= {}
      data[key] = value
    }
  }
  if (fields.data !== undefined) data = {...fields.data, ...data}
  if (data !== undefined && Object.keys(data).length > 0) record.data = redactor.value(data) as Record<string, unknown>
  for (const key of CORRELATION_KEYS) {
    const value = fields[key]
    if (value !== undefined && value !== null) record[key] = redactor.text(String(value))
  }
  if (fields.err !== undefined) {
    const err = describeError(fields.err, withStack)
    record.err = {...err, message: redactor.text(err.message), ...(err.stack === undefined ? {} : {stack: redactor.text(err.stack)})}
  }
}
