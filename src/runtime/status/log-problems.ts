/**
 * `status --all`'s last warn+ log lines (operations.md §8), redacted with the configured secrets
 * and patterns (config.md §9, §12) so the report can be pasted into a bug report.
 */
import {existsSync} from 'node:fs'

import type {Config} from '../config/schema/index.js'
import {configSecretValues} from '../config/secret-values.js'
import {passesLevel, LOG_LEVELS, type LogLevel} from '../logging/levels.js'
import {parseLogLine, readLogTail, type ParsedLogLine} from '../logging/read-tail.js'
import {compileRedactPatterns, createRedactor} from '../logging/redact.js'
import {envValue, type Env} from '../paths.js'

/** Lines `status --all` shows. */
export const LOG_PROBLEM_LINES = 20
/** How much of the file is scanned for them. */
const SCAN_BYTES = 1_000_000

/** Env variables that hold secrets the log might contain. */
const SECRET_ENV = ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_GATEWAY_PASSWORD', 'TELEGRAM_BOT_TOKEN'] as const

export interface LogProblems {
  file: string
  /** False when the file does not exist (yet). */
  exists: boolean
  lines: ParsedLogLine[]
}

/** The last `LOG_PROBLEM_LINES` lines at `warn` or above, message and raw text redacted. Throws LOG_FILE_UNREADABLE. */
export async function recentLogProblems(file: string, config: Readonly<Config> | null, env: Env): Promise<LogProblems> {
  const tail = await readLogTail({file, limit: Number.MAX_SAFE_INTEGER, maxBytes: SCAN_BYTES})
  const secrets = [...configSecretValues(config), ...SECRET_ENV.map((name) => envValue(env, name)).filter((v): v is string => v !== undefined)]
  const redactor = createRedactor({secrets, mode: config?.logging.redactSensitive ?? 'tools', patterns: compileRedactPatterns(config?.logging.redactPatterns).patterns})
  const lines = tail.lines
    .map(parseLogLine)
    .filter((line) => line.level !== null && (LOG_LEVELS as readonly string[]).includes(line.level) && passesLevel(line.level as LogLevel, 'warn'))
    .slice(-LOG_PROBLEM_LINES)
    .map((line) => ({...line, message: redactor.text(line.message), raw: redactor.text(line.raw)}))
  return {file, exists: existsSync(file), lines}
}
