/**
 * The logging subsystem (config.md §12): a JSONL file logger with rotation and redaction, a
 * console sink for stderr, and the tail reader behind `openclaw logs` and the `logs.tail` RPC.
 */
export {createLogger, type LogFields, type Logger, type LoggerConsoleOptions, type LoggerOptions} from './logger.js'
export {LEVEL_SETTINGS, LOG_LEVELS, parseLevelSetting, passesLevel, resolveLogLevels, type LevelSetting, type LogLevel, type ResolvedLogLevels} from './levels.js'
export {checkLogDir, DEFAULT_LOG_DIR, logLocationContext, resolveLogFile, type LogFileLocation, type LogLocationContext} from './log-file-path.js'
export {compileRedactPatterns, createRedactor, REDACTED, type Redactor} from './redact.js'
export {formatClock, formatConsoleLine, type ConsoleStream} from './console-sink.js'
export {formatLocalIso, type LogRecord} from './format-line.js'
export {parseLogLine, readLogTail, type LogTail, type ParsedLogLine, type ReadLogTailOptions} from './read-tail.js'
export {DEFAULT_MAX_FILE_BYTES, type ConsoleStyle, type DiagnosticsSettings, type LoggingSettings} from './settings.js'
