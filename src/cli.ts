import {Errors, flush, run} from '@oclif/core'

import {toAppError} from './commands/base-command.js'

export {COMMANDS} from './commands.js'
import {AppError} from './runtime/errors/app-error.js'
import {toErrorEnvelope, renderErrorText} from './ui/render-output.js'

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
    const appError = isCommandNotFound(error) ? unknownCommandError(argv) : toAppError(error)
    process.exitCode = appError.exitCode
    if (argv.includes('--json')) process.stdout.write(toErrorEnvelope(appError, []) + '\n')
    else process.stderr.write(renderErrorText(appError))
  }
}

function isCommandNotFound(error: unknown): boolean {
  return error instanceof Errors.CLIError && /^command \S+ not found$/.test(error.message)
}

function unknownCommandError(argv: string[]): AppError {
  const words = argv.filter((a) => !a.startsWith('-'))
  return new AppError('USAGE', `unknown command: openclaw ${words.join(' ')}`, {
    hint: [...(words.length > 1 ? [`See the commands of this topic: openclaw ${words[0]} --help`] : []), 'See every command: openclaw --help'],
  })
}
