import {GrammyError, HttpError} from 'grammy'

import type {TelegramFailure} from './classify-error.js'

/** Error codes that prove the request never left this machine, so a send may be retried safely. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])

/**
 * Turns whatever a grammY call threw into a library-free `TelegramFailure` (telegram.md §1:
 * grammY types never leave this folder). The bot token never appears in the result: grammY's
 * own messages name the method, not the URL.
 */
export function toTelegramFailure(error: unknown, method: string): TelegramFailure {
  if (error instanceof GrammyError) {
    const parameters = error.parameters ?? {}
    return {
      kind: 'api',
      method: error.method || method,
      errorCode: error.error_code,
      description: error.description,
      ...(parameters.retry_after === undefined ? {} : {retryAfterSec: parameters.retry_after}),
      ...(parameters.migrate_to_chat_id === undefined ? {} : {migrateToChatId: parameters.migrate_to_chat_id}),
    }
  }
  const inner = error instanceof HttpError ? error.error : error
  const code = networkCode(inner)
  return {kind: 'network', method, message: code ?? describe(inner), requestSent: code === undefined || !NOT_SENT_CODES.has(code)}
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as {code?: unknown}).code
    if (typeof code === 'string' && /^E[A-Z_]+$|^[A-Z_]+CERT/.test(code)) return code
    current = (current as {cause?: unknown}).cause
  }
  return undefined
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'AbortError' ? 'request aborted (timeout)' : error.message.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<token>')
  return String(error)
}
