import type {AppError} from '../runtime/errors/app-error.js'

// The error text (coloured, so it loads chalk) is in render-error.ts, imported on the failure paths only.

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
