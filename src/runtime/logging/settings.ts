import type {LevelSetting} from './levels.js'

/**
 * The `logging` config section (config.md §7.7) as the logger reads it. Every field is optional so
 * the logger works from a raw section or one with schema defaults applied; the defaults below
 * match the schema's.
 */
export interface LoggingSettings {
  /** File log threshold; default `info`. */
  level?: LevelSetting
  /** Replaces the whole default location (config.md §12): no date in the name, rotation applies. */
  file?: string
  /** Console (stderr) threshold; default `info`. */
  consoleLevel?: LevelSetting
  /** Default `pretty` when stderr is a TTY, else `compact`. */
  consoleStyle?: ConsoleStyle
  /** `tools` (default) adds the built-in secret patterns to the configured secret values. */
  redactSensitive?: 'off' | 'tools'
  /** Extra JS regex sources, applied globally, case as written. */
  redactPatterns?: readonly string[]
  /** Size at which the file rotates to `.1`; default 10485760 (10 MiB). */
  maxFileBytes?: number
}

export type ConsoleStyle = 'pretty' | 'compact' | 'json'

/** The `diagnostics` config section (config.md §7.7). */
export interface DiagnosticsSettings {
  /** Default true; false ignores `flags` (and OPENCLAW_DIAGNOSTICS). */
  enabled?: boolean
  /** Subsystem names or wildcards (`telegram.*`) that log at `debug` whatever the level. */
  flags?: readonly string[]
}

export const DEFAULT_MAX_FILE_BYTES = 10_485_760
