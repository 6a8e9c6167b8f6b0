import {Errors, flush, run} from '@oclif/core'

import {toAppError} from './commands/base-command.js'
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
    const appError = toAppError(error)
    process.exitCode = appError.exitCode
    if (argv.includes('--json')) process.stdout.write(toErrorEnvelope(appError, []) + '\n')
    else process.stderr.write(renderErrorText(appError))
  }
}
