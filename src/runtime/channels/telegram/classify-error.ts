import type {ErrorCode} from '../../errors/codes.js'

/**
 * A failed Bot API call in plain terms: Telegram answered `ok: false` (`api`), or the HTTP call
 * itself failed (`network`). `requestSent` tells whether the request may have reached Telegram
 * (a timeout or reset after writing it), which decides whether a `sendMessage` may be retried.
 */
export type TelegramFailure =
  | {kind: 'api'; method: string; errorCode: number; description: string; retryAfterSec?: number; migrateToChatId?: number}
  | {kind: 'network'; method: string; message: string; requestSent: boolean}

/**
 * What to do about a failure (telegram.md §10.7):
 * - `stop-account`: the token is rejected; stop, do not retry until config changes.
 * - `conflict`: another poller (409); `delete-webhook`: a webhook blocks polling.
 * - `wait`: 429, wait `retryAfterMs` then retry the same request.
 * - `retry`: transient (5xx, network before the request left); `uncertain`: may have reached Telegram.
 * - `plain-resend`, `not-modified`, `send-new`, `migrate`: the §10.2/§10.5 special 400s.
 * - `fail`: give up on this request (blocked, forbidden, chat not found, other 400).
 */
export type FailureAction = 'stop-account' | 'conflict' | 'delete-webhook' | 'wait' | 'retry' | 'uncertain' | 'plain-resend' | 'not-modified' | 'send-new' | 'migrate' | 'fail'

export interface ClassifiedFailure {
  action: FailureAction
  /** Our error code; null for the 400s handled in place. */
  code: ErrorCode | null
  message: string
  hint: string[]
  retryAfterMs?: number
  migrateToChatId?: number
}

/** A 429 asking for more than this fails the request instead of waiting (§10.6). */
export const MAX_RETRY_AFTER_SEC = 60

const TOKEN_HINT = 'check the token with @BotFather'

/** Pure: maps one failure to its code and handling. */
export function classifyTelegramFailure(failure: TelegramFailure): ClassifiedFailure {
  if (failure.kind === 'network') {
    return failure.requestSent
      ? {action: 'uncertain', code: 'TELEGRAM_UNAVAILABLE', message: `${failure.method}: ${failure.message} (the request may have reached Telegram)`, hint: []}
      : {action: 'retry', code: 'TELEGRAM_UNAVAILABLE', message: `${failure.method}: ${failure.message}`, hint: []}
  }
  const {errorCode, description} = failure
  const text = description.toLowerCase()
  if (errorCode === 401) {
    return {action: 'stop-account', code: 'TELEGRAM_TOKEN_REJECTED', message: 'Telegram rejected the bot token (401 Unauthorized)', hint: [TOKEN_HINT]}
  }
  if (errorCode === 409) {
    if (text.includes('webhook')) return {action: 'delete-webhook', code: 'TELEGRAM_CONFLICT', message: '409 Conflict: a webhook is set for this bot', hint: []}
    return {
      action: 'conflict',
      code: 'TELEGRAM_CONFLICT',
      message: '409 Conflict: another process is polling this bot token',
      hint: ['stop the other poller, or revoke the token in @BotFather with /revoke'],
    }
  }
  if (errorCode === 429) {
    const seconds = failure.retryAfterSec ?? 1
    if (seconds > MAX_RETRY_AFTER_SEC) {
      return {action: 'fail', code: 'TELEGRAM_RATE_LIMITED', message: `Telegram asked to wait ${seconds} s (429)`, hint: [], retryAfterMs: seconds * 1000}
    }
    return {action: 'wait', code: 'TELEGRAM_RATE_LIMITED', message: `429 Too Many Requests: retry after ${seconds}`, hint: [], retryAfterMs: seconds * 1000}
  }
  if (errorCode === 403) {
    if (text.includes('blocked by the user') || text.includes('user is deactivated')) {
      return {action: 'fail', code: 'TELEGRAM_BLOCKED', message: description, hint: []}
    }
    return {action: 'fail', code: 'TELEGRAM_FORBIDDEN', message: description, hint: []}
  }
  if (errorCode >= 500) return {action: 'retry', code: 'TELEGRAM_UNAVAILABLE', message: `${errorCode} ${description}`, hint: []}
  if (errorCode === 400) {
    if (failure.migrateToChatId !== undefined) return {action: 'migrate', code: null, message: description, hint: [], migrateToChatId: failure.migrateToChatId}
    if (text.includes("can't parse entities")) return {action: 'plain-resend', code: null, message: description, hint: []}
    if (text.includes('message is not modified')) return {action: 'not-modified', code: null, message: description, hint: []}
    if (text.includes('message to edit not found')) return {action: 'send-new', code: null, message: description, hint: []}
    if (text.includes('chat not found') || text.includes('message thread not found') || text.includes('topic_closed')) {
      return {action: 'fail', code: 'TELEGRAM_CHAT_NOT_FOUND', message: description, hint: []}
    }
  }
  return {action: 'fail', code: 'TELEGRAM_BAD_REQUEST', message: `${errorCode} ${description}`, hint: []}
}
