import type {AppError} from '../runtime/errors/app-error.js'
import {paint} from './style.js'

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
