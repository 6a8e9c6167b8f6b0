import {AppError} from '../errors/app-error.js'
import {envValue, type Env} from '../paths.js'
import type {LoggingSettings} from './settings.js'

/** Record levels, least to most severe. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** A threshold as configured: a record level, or `silent` (nothing passes). */
export const LEVEL_SETTINGS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const
export type LevelSetting = (typeof LEVEL_SETTINGS)[number]

const SEVERITY: Record<LevelSetting, number> = {trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY}

/** Numeric severity; `silent` is above every record level. */
export function levelSeverity(level: LevelSetting): number {
  return SEVERITY[level]
}

/** True when a record at `level` passes the threshold `min`. */
export function passesLevel(level: LogLevel, min: LevelSetting): boolean {
  return SEVERITY[level] >= SEVERITY[min]
}

/** The more verbose (lower) of two thresholds. */
export function moreVerbose(a: LevelSetting, b: LevelSetting): LevelSetting {
  return SEVERITY[a] <= SEVERITY[b] ? a : b
}

export function isLevelSetting(value: unknown): value is LevelSetting {
  return typeof value === 'string' && (LEVEL_SETTINGS as readonly string[]).includes(value)
}

/** Parses a level name case-insensitively (`DEBUG` → `debug`); undefined when it is not one. */
export function parseLevelSetting(value: string): LevelSetting | undefined {
  const lower = value.trim().toLowerCase()
  return isLevelSetting(lower) ? lower : undefined
}

export interface ResolvedLogLevels {
  /** Threshold for the file log. */
  file: LevelSetting
  /** Threshold for console (stderr) log output. */
  console: LevelSetting
}

export interface ResolveLogLevelsInput {
  /** Read for OPENCLAW_LOG_LEVEL, which bin/run.js also sets from `--log-level`. */
  env: Env
  logging?: Pick<LoggingSettings, 'level' | 'consoleLevel'>
  /** `--verbose`: the console shows at least `debug`. */
  verbose?: boolean
}

/**
 * Applies config.md §1.1: file = `--log-level` > OPENCLAW_LOG_LEVEL > `logging.level` > `info`;
 * console = `--log-level`/`--verbose` > OPENCLAW_LOG_LEVEL > `logging.consoleLevel` > `info`.
 * `--log-level` arrives as OPENCLAW_LOG_LEVEL, so both share one tier; `--verbose` lowers the
 * console to `debug` but never hides what an explicit `trace` asked for.
 * Throws ENV_INVALID when OPENCLAW_LOG_LEVEL is not a level name.
 */
export function resolveLogLevels(input: ResolveLogLevelsInput): ResolvedLogLevels {
  const raw = envValue(input.env, 'OPENCLAW_LOG_LEVEL')
  let fromEnv: LevelSetting | undefined
  if (raw !== undefined) {
    fromEnv = parseLevelSetting(raw)
    if (fromEnv === undefined) {
      throw new AppError('ENV_INVALID', `OPENCLAW_LOG_LEVEL (or --log-level): expected one of ${LEVEL_SETTINGS.join(', ')}, got "${raw}"`, {
        hint: ['openclaw --log-level debug <command>'],
      })
    }
  }
  const file = fromEnv ?? input.logging?.level ?? 'info'
  let console = fromEnv ?? input.logging?.consoleLevel ?? 'info'
  if (input.verbose === true) console = fromEnv === undefined ? 'debug' : moreVerbose(fromEnv, 'debug')
  return {file, console}
}
