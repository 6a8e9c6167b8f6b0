/**
 * The local side of `openclaw logs` (operations.md §7, config.md §12): which file to read, and a
 * reader that re-resolves the name on every call, so a follow crosses midnight and rotation.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../config/deep-merge.js'
import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'
import {logLocationContext, resolveLogFile} from '../logging/log-file-path.js'
import {readLogTail} from '../logging/read-tail.js'
import {expandHome, type ResolvedPaths} from '../paths.js'
import type {TailReader, TailSizing} from './tail-reader.js'

export interface LocalLogFileOptions {
  paths: ResolvedPaths
  /** The effective config, or null when it is invalid (its authored `logging.file` is used then). */
  config: Readonly<Config> | null
  authored?: Record<string, unknown> | null
  /** `--file <path>`: `~` expands, relative to the working directory. */
  fileFlag?: string
}

/** `logging.file` from the effective config, else (config invalid) from the authored tree when it is a plain string. */
export function configuredLogFile(config: Readonly<Config> | null, authored?: Record<string, unknown> | null): string | undefined {
  if (config !== null) return config.logging?.file
  const logging = authored?.logging
  const file = isPlainObject(logging) ? logging.file : undefined
  return typeof file === 'string' && !file.includes('${') ? file : undefined
}

/**
 * A function that names the file to read at a given moment: `--file`, else `logging.file`, else
 * today's dated file (config.md §12).
 */
export function localLogLocator(options: LocalLogFileOptions): (now: Date) => string {
  const {paths, fileFlag} = options
  if (fileFlag !== undefined) {
    const fixed = path.resolve(paths.cwd, expandHome(fileFlag, paths.home))
    return () => fixed
  }
  const context = logLocationContext(paths)
  const file = configuredLogFile(options.config, options.authored)
  return (now) => resolveLogFile({...context, logging: {file}, now}).file
}

/** Throws LOG_FILE_MISSING unless `file` exists. */
export function assertLogFileExists(file: string, explicit: boolean): void {
  if (existsSync(file)) return
  if (explicit) {
    throw new AppError('LOG_FILE_MISSING', `No log file at ${file}`, {hint: [`Check the path: ls -l ${path.dirname(file)}`, 'Read the gateway log: openclaw logs']})
  }
  throw new AppError('LOG_FILE_MISSING', `No log file at ${file} yet; the gateway creates it when it starts`, {
    hint: ['Start the gateway: openclaw gateway run (or as a service: openclaw gateway start)', 'Read another file: openclaw logs --file <path>'],
    details: {file},
  })
}

/** Reads the local file with `readLogTail`, remembering the previous answer's name (day rollover resets). */
export function createLocalTailReader(locate: (now: Date) => string, sizing: TailSizing, now: () => Date = () => new Date()): TailReader {
  let previousFile: string | undefined
  return {
    source: 'local',
    async tail(cursor) {
      const tail = await readLogTail({file: locate(now()), cursor, limit: sizing.limit, maxBytes: sizing.maxBytes, previousFile})
      previousFile = tail.file
      return tail
    },
    close() {},
  }
}
