import {Errors, flush, run} from '@oclif/core'

import {toAppError} from './commands/base-command.js'

import {COMMANDS} from './commands.js'
import {toErrorEnvelope} from './ui/render-output.js'
import {scopeError, scopeFlags} from './ui/scope-hints.js'

export {COMMANDS}
export {RootHelp} from './commands/root-help.js'

/**
 * Runs the oclif command tree. Errors that never reach a command (unknown command, bad topic)
 * are rendered here in the same format, as usage errors.
 */
export async function runCli(argv: string[], entryUrl: string): Promise<void> {
  try {
    await run(argv, entryUrl)
    await flush()
  } catch (error) {
    if (error instanceof Errors.ExitError) {
      process.exitCode = error.oclif.exit
      return
    }
    const ids = Object.keys(COMMANDS)
    const unscoped = isCommandNotFound(error) ? (await import('./ui/usage-errors.js')).unknownCommandToUsage(argv, ids) : toAppError(error)
    const appError = scopeError(unscoped, scopeFlags(process.env), new Set(ids.map((id) => id.split(':')[0])))
    process.exitCode = appError.exitCode
    if (argv.includes('--json')) process.stdout.write(toErrorEnvelope(appError, []) + '\n')
    else process.stderr.write((await import('./ui/render-error.js')).renderErrorText(appError))
  }
}

function isCommandNotFound(error: unknown): boolean {
  return error instanceof Errors.CLIError && /^command \S+ not found$/.test(error.message)
}
