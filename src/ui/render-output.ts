import type {AppError} from '../runtime/errors/app-error.js'
import {paint} from './style.js'

/** `{"ok":true,"result":…,"warnings":[…]}` (operations.md §1.3). */
export function toSuccessEnvelope(result: unknown, warnings: readonly string[]): string {
  return JSON.stringify({ok: true, result: result ?? null, warnings})
}

/** `{"ok":false,"error":{type,code,message,hint,exitCode,details},"result"?,"warnings"}`. */
export function toErrorEnvelope(error: AppError, warnings: readonly string[]): string {
  const envelope: Record<string, unknown> = {
    ok: false,
    error: {type: error.type, code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode, details: error.details},
  }
  if (error.result !== undefined) envelope.result = error.result
  envelope.warnings = warnings
  return JSON.stringify(envelope)
}

/**
 * `Error (CODE): message`, then config issues as `  - …` lines, then `Try this:` with one
 * `  * command` per hint. The stack is appended only when asked for (--debug).
 */
export function renderErrorText(error: AppError, options: {stack?: string} = {}): string {
  const lines = [`${paint.red(`Error (${error.code})`)}: ${error.message}`]
  const issues = error.details.issues
  if (Array.isArray(issues)) {
    for (const issue of issues as Array<{text?: string}>) if (typeof issue.text === 'string') lines.push(`  - ${issue.text}`)
  }
  if (error.hint.length > 0) {
    lines.push('Try this:')
    for (const hint of error.hint) lines.push(`  * ${hint}`)
  }
  if (options.stack) lines.push('', options.stack)
  return lines.join('\n') + '\n'
}
