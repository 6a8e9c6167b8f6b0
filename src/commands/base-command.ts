import {Command, Errors} from '@oclif/core'

import {AppError, isAppError} from '../runtime/errors/app-error.js'
import type {ErrorCode} from '../runtime/errors/codes.js'
import {createCliContext, type CliContext} from '../runtime/cli-context.js'
import {globalFlags} from './flags.js'
import {toErrorEnvelope, toSuccessEnvelope} from '../ui/render-output.js'
import {scopeError, scopeFlags, scopeText} from '../ui/scope-hints.js'

/** What a command's `perform` hands back: the data, and how a human sees it. */
export interface Outcome<R = unknown> {
  result: R
  /** Human output for stdout; defaults to the result as 2-space JSON (strings bare). */
  human?: string | string[] | null
  /** A line for the file log (subsystem `cli`), for commands that change something. */
  log?: {message: string; data?: Record<string, unknown>}
  /**
   * The command produced its report but the report says something failed (a check, an unreachable
   * probe target): the report still prints (stdout, or `result` beside the error envelope), the
   * failure renders like an error, and the exit code is the code's (CHECKS_FAILED = 3).
   */
  failure?: {code: ErrorCode; message: string; hint?: string[]; details?: Record<string, unknown>}
}

/** What a streaming command writes to, and when to stop. */
export interface StreamIO {
  signal: AbortSignal
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  jsonLines: boolean
}

/**
 * The one base class. It owns `--json` (one envelope on stdout), warnings, error rendering and
 * exit codes; subclasses implement `perform()` and stay thin.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = globalFlags
  /** Set to false by commands that stream or never return data (`gateway run`). */
  static supportsJson = true
  /**
   * Under --json, print a success as the bare result instead of the envelope (`gateway call`,
   * as upstream does: operations.md §1.3). Failures still print the envelope.
   */
  static bareJsonResult = false
  /**
   * Commands that change state log their failures to the file log (subsystem `cli`); read-only
   * commands do not, so a failed read never creates or clutters the log. Internal bugs are
   * logged from every command.
   */
  static changesState = false

  protected jsonMode = false
  /** Set by `streams()` returning `{jsonLines: true}`: errors print as one `{"type":"error",…}` line on stdout. */
  protected jsonLines = false
  private readonly warnings: string[] = []
  private cliContext: CliContext | undefined

  protected abstract perform(): Promise<Outcome>

  /**
   * Streaming mode: a command that prints as data arrives (`logs --follow`, `agent`) returns a
   * plan from here (after parsing its flags) and implements `stream()`; null = the usual
   * perform → render path. `jsonLines` makes stdout JSON Lines (errors included, no envelope).
   */
  protected async streams(): Promise<{jsonLines: boolean} | null> {
    return null
  }

  /**
   * The streaming body. `signal` aborts on the first Ctrl-C (SIGINT) or a closed stdout; the
   * command stops what it streams and returns (a second Ctrl-C is the command's business).
   */
  protected async stream(_io: StreamIO): Promise<void> {
    throw new AppError('INTERNAL', `${this.id ?? 'command'} declared a stream but has no stream()`)
  }

  override async init(): Promise<void> {
    const ctor = this.constructor as typeof BaseCommand
    const separator = this.argv.indexOf('--')
    const flagArgs = separator === -1 ? this.argv : this.argv.slice(0, separator)
    this.jsonMode = ctor.supportsJson && flagArgs.includes('--json')
  }

  /** Paths, env and notices for this invocation; resolved once, notices printed once. */
  protected context(): CliContext {
    if (this.cliContext === undefined) {
      this.cliContext = createCliContext()
      for (const notice of this.cliContext.notices) this.addWarning(notice)
    }
    return this.cliContext
  }

  /** A warning goes to stderr for humans and into the envelope's `warnings` under --json. */
  protected addWarning(raw: string): void {
    const message = scopeText(raw, scopeFlags(process.env), this.topWords())
    if (this.warnings.includes(message)) return
    this.warnings.push(message)
    if (!this.jsonMode) process.stderr.write(`Warning: ${message}\n`)
  }

  protected addWarnings(messages: readonly string[]): void {
    for (const message of messages) this.addWarning(message)
  }

  async run(): Promise<void> {
    const plan = await this.streams()
    if (plan !== null) return this.runStream(plan)
    const outcome = await this.perform()
    if (outcome.log !== undefined) await this.writeFileLog({level: 'info', ...outcome.log})
    if (outcome.failure !== undefined) return await this.renderFailedOutcome(outcome, outcome.failure)
    if (this.jsonMode) {
      const bare = (this.constructor as typeof BaseCommand).bareJsonResult
      process.stdout.write((bare ? JSON.stringify(outcome.result ?? null) : toSuccessEnvelope(outcome.result, this.warnings)) + '\n')
      return
    }
    const human = outcome.human === undefined ? defaultHuman(outcome.result) : outcome.human
    if (human === null) return
    // Commands named in the report (`see: openclaw config validate`) act on the profile in use.
    const text = scopeText(Array.isArray(human) ? human.join('\n') : human, scopeFlags(process.env), this.topWords())
    if (text !== '') process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  }

  private async runStream(plan: {jsonLines: boolean}): Promise<void> {
    this.jsonLines = plan.jsonLines
    const controller = new AbortController()
    const stop = () => controller.abort()
    process.once('SIGINT', stop)
    process.stdout.once('error', stop)
    try {
      await this.stream({signal: controller.signal, stdout: process.stdout, stderr: process.stderr, jsonLines: plan.jsonLines})
    } finally {
      process.removeListener('SIGINT', stop)
      process.stdout.removeListener('error', stop)
    }
  }

  private async renderFailedOutcome(outcome: Outcome, failure: NonNullable<Outcome['failure']>): Promise<void> {
    const error = new AppError(failure.code, failure.message, {hint: failure.hint, details: failure.details, result: outcome.result})
    process.exitCode = error.exitCode
    if (this.jsonMode) {
      process.stdout.write(toErrorEnvelope(error, this.warnings) + '\n')
      return
    }
    const human = outcome.human === undefined ? defaultHuman(outcome.result) : outcome.human
    const text = human === null ? '' : Array.isArray(human) ? human.join('\n') : human
    if (text !== '') process.stdout.write(text.endsWith('\n') ? text : text + '\n')
    process.stderr.write(await errorText(error))
  }

  /**
   * One line in the shared file log (subsystem `cli`). Logging is imported only here, on the
   * change and failure paths, so read-only commands stay fast; it never fails the command.
   */
  protected async writeFileLog(event: {level: 'info' | 'warn' | 'error'; message: string; data?: Record<string, unknown>}): Promise<void> {
    let context: CliContext
    try {
      context = this.context()
    } catch {
      return
    }
    const {writeCliLogEvent} = await import('../runtime/logging/cli-log.js')
    writeCliLogEvent(context, event)
  }

  /** The first words of every command in the tree (`config`, `gateway`, `status`, …). */
  private topWords(): Set<string> {
    return new Set([...(this.config?.commands ?? []).map((c) => c.id.split(':')[0]), 'help'])
  }

  override async catch(error: Error & {exitCode?: number}): Promise<void> {
    const ctor = this.constructor as typeof BaseCommand
    const shape = {id: this.id ?? '', flags: {...ctor.baseFlags, ...ctor.flags}, args: ctor.args}
    const parsed = isParseError(error) ? (await import('../ui/usage-errors.js')).parseErrorToUsage(error, shape, this.argv) : toAppError(error)
    const appError = scopeError(parsed, scopeFlags(process.env), this.topWords())
    process.exitCode = appError.exitCode
    if (this.jsonLines) {
      process.stdout.write(JSON.stringify({type: 'error', code: appError.code, message: appError.message}) + '\n')
      return
    }
    if (appError.code === 'INTERNAL' || (appError.code !== 'USAGE' && (this.constructor as typeof BaseCommand).changesState)) {
      const issues = Array.isArray(appError.details.issues) ? (appError.details.issues as Array<{text?: string}>).map((i) => i.text).filter(Boolean) : []
      const message = `openclaw ${this.id?.replace(/:/g, ' ')} failed: ${appError.code}: ${appError.message}${issues.length > 0 ? ' ' + issues.join('; ') : ''}`
      await this.writeFileLog({level: appError.code === 'INTERNAL' ? 'error' : 'warn', message})
    }
    if (this.jsonMode) {
      process.stdout.write(toErrorEnvelope(appError, this.warnings) + '\n')
      return
    }
    const debug = process.env.OPENCLAW_CLI_DEBUG === '1' || process.env.OPENCLAW_LOG_LEVEL === 'debug' || process.env.OPENCLAW_LOG_LEVEL === 'trace'
    process.stderr.write(await errorText(appError, {stack: debug ? (error.stack ?? '') : undefined}))
  }
}

/** The error as text for stderr; its module (and chalk) loads only when a command fails. */
async function errorText(error: AppError, options: {stack?: string} = {}): Promise<string> {
  const {renderErrorText} = await import('../ui/render-error.js')
  return renderErrorText(error, options)
}

function defaultHuman(result: unknown): string {
  if (result === undefined || result === null) return ''
  if (typeof result === 'string') return result
  return JSON.stringify(result, null, 2)
}

/** oclif's parser errors (unknown flag, bad value, missing argument); not AppErrors thrown by perform(). */
function isParseError(error: unknown): error is Error & {flags?: unknown} {
  return !isAppError(error) && (error instanceof Errors.CLIError || (error as {oclif?: unknown})?.oclif !== undefined)
}

/** Maps oclif parse failures to USAGE (exit 2) and anything unexpected to INTERNAL (exit 70). */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error
  if (error instanceof Errors.CLIError || (error as {oclif?: unknown})?.oclif !== undefined) {
    const message = (error as Error).message.replace(/\s*See more help with --help\s*$/, '')
    return new AppError('USAGE', firstLine(message), {hint: ['See every command: openclaw --help']})
  }
  const message = error instanceof Error ? error.message : String(error)
  return new AppError('INTERNAL', `${message}. This is a bug; please report it with the output of: openclaw status --all`, {cause: error})
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')
}
