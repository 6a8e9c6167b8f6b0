import {loadConfig} from '../config/load.js'
import {configSecretValues} from '../config/secret-values.js'
import type {ResolvedPaths} from '../paths.js'
import {logLocationContext} from './log-file-path.js'
import {createLogger} from './logger.js'

export interface CliLogEvent {
  level: 'info' | 'warn' | 'error'
  message: string
  data?: Record<string, unknown>
}

/**
 * Appends one line (subsystem `cli`) to the same file log the gateway writes (config.md §12),
 * with the config's log settings and secrets redacted. Best effort: a log that cannot be
 * written never fails the command that asked for it.
 */
export function writeCliLogEvent(ctx: {paths: ResolvedPaths; env: NodeJS.ProcessEnv}, event: CliLogEvent): void {
  try {
    const loaded = loadConfig({paths: ctx.paths, env: {...ctx.env}, shellEnv: false})
    const logger = createLogger({
      subsystem: 'cli',
      env: ctx.env,
      logging: loaded.config?.logging,
      diagnostics: loaded.config?.diagnostics,
      secrets: configSecretValues(loaded.config ?? loaded.authored),
      file: logLocationContext(ctx.paths),
      console: null,
      onFileError: () => undefined,
    })
    try {
      logger[event.level](event.message, event.data === undefined ? undefined : {data: event.data})
    } finally {
      logger.close()
    }
  } catch {
    // The file log is best effort for the CLI.
  }
}
