import {z} from 'zod'

import {doc, ENV_NAME_PATTERN, int, pathString, pattern, strictObject, stringList} from './primitives.js'

export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const

/** `logging` (config.md §7.7, §12). */
export const LoggingSchema = strictObject({
  level: doc(z._default(z.enum(LOG_LEVELS), 'info'), 'File log level (--log-level and OPENCLAW_LOG_LEVEL win).'),
  file: doc(z.optional(pathString()), 'Log file replacing the default dated /tmp/openclaw/openclaw-YYYY-MM-DD.log (rotation still applies).'),
  consoleLevel: doc(z._default(z.enum(LOG_LEVELS), 'info'), 'Console (stderr) log level.'),
  consoleStyle: doc(z.optional(z.enum(['pretty', 'compact', 'json'])), 'Console log format (default pretty on a TTY, else compact).'),
  redactSensitive: doc(z._default(z.enum(['off', 'tools']), 'tools'), 'tools: also redact built-in secret patterns in messages and tool data.'),
  redactPatterns: doc(z._default(stringList(), []), 'Extra JavaScript regex sources to redact (global, case as written).'),
  maxFileBytes: doc(z._default(int(1), 10_485_760), 'Size at which the log file rotates to .1, in bytes.'),
})

const envName = () => pattern(ENV_NAME_PATTERN, 'an environment variable name ([A-Za-z_][A-Za-z0-9_]*)')

/**
 * `env` (config.md §3.1, §7.7). String-valued keys directly under `env` are sugar for `env.vars`
 * (their names are checked by the cross-field rules, as a catchall cannot carry a key pattern).
 */
export const EnvSchema = z.object({
  vars: doc(z._default(z.record(envName(), z.string()), {}), 'Variables set for the process when not already set.'),
  shellEnv: doc(z.prefault(strictObject({
    enabled: doc(z._default(z.boolean(), false), 'Import variables from a login shell ($SHELL -l -c env).'),
    timeoutMs: doc(z._default(int(1), 15_000), 'Timeout of the login shell, in milliseconds.'),
  }), {}), 'Login-shell environment import (also OPENCLAW_LOAD_SHELL_ENV=1).'),
}).catchall(doc(z.string(), 'A variable (sugar for env.vars.<NAME>).'))

/** `diagnostics` (config.md §7.7). */
export const DiagnosticsSchema = strictObject({
  enabled: doc(z._default(z.boolean(), true), 'Enable diagnostic flags.'),
  flags: doc(z._default(stringList(), []), 'Subsystems logged at debug whatever the level (telegram.http, gateway.ws, telegram.*).'),
})
