/**
 * Hints act on what the user was using (issue 9 item 4): under `--profile work` (or `--dev`) every
 * `openclaw <command>` in a hint, warning or message gets the same global flag, so pasting it
 * edits or checks that profile and not the default one.
 */
import {AppError} from '../runtime/errors/app-error.js'

/** The global flags that select the state dir, as bin/run.js recorded them (`['--profile', 'work']`, `['--dev']` or none). */
export function scopeFlags(env: NodeJS.ProcessEnv): string[] {
  if (env.OPENCLAW_CLI_DEV === '1') return ['--dev']
  const profile = env.OPENCLAW_CLI_PROFILE
  return profile !== undefined && profile !== '' ? ['--profile', profile] : []
}

/**
 * Inserts `flags` after `openclaw` wherever it starts a command of the tree (`topWords`: `config`,
 * `gateway`, …), so prose such as "another openclaw process" or `openclaw.json` is left alone, as
 * is a command that already names a profile.
 */
export function scopeText(text: string, flags: readonly string[], topWords: ReadonlySet<string>): string {
  if (flags.length === 0) return text
  return text.replace(/\bopenclaw ((?:--?[\w-]+ )*)([a-z][\w-]*)/g, (whole, globals: string, word: string) => {
    if (!topWords.has(word) || /--profile|--dev/.test(globals)) return whole
    return `openclaw ${flags.join(' ')} ${globals}${word}`
  })
}

/** The same error with its message and hints scoped (a new AppError: AppError is immutable). */
export function scopeError(error: AppError, flags: readonly string[], topWords: ReadonlySet<string>): AppError {
  if (flags.length === 0) return error
  const scoped = new AppError(error.code, scopeText(error.message, flags, topWords), {
    hint: error.hint.map((h) => scopeText(h, flags, topWords)),
    exitCode: error.exitCode,
    details: error.details,
    result: error.result,
    cause: error.cause,
  })
  if (error.stack !== undefined) scoped.stack = error.stack
  return scoped
}
