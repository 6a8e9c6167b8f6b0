import {ERROR_CODES, type ErrorCode} from './codes.js'

export interface AppErrorOptions {
  /** Exact commands or steps that fix the problem, most useful first. */
  hint?: string[]
  /** Overrides the code's default exit code (e.g. 78 for config errors under `gateway run`). */
  exitCode?: number
  /** Machine-readable detail for `--json` (`error.details`), e.g. `{issues: [...]}`. */
  details?: Record<string, unknown>
  /** A partial result to print alongside the error (check commands exiting 3). */
  result?: unknown
  cause?: unknown
}

/**
 * The only error type the runtime throws on purpose. Anything else that reaches a command is a
 * bug and renders as INTERNAL (exit 70).
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly hint: string[]
  readonly exitCode: number
  readonly details: Record<string, unknown>
  readonly result: unknown
  readonly type: 'cli_error' | 'gateway_transport_error'

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'AppError'
    const info = ERROR_CODES[code]
    this.code = code
    this.hint = options.hint ?? []
    this.exitCode = options.exitCode ?? info.exitCode
    this.details = options.details ?? {}
    this.result = options.result
    this.type = 'type' in info ? info.type : 'cli_error'
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}
