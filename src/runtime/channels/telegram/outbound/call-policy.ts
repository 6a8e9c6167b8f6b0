import {AppError} from '../../../errors/app-error.js'
import {backoffDelay, sleep} from '../backoff.js'
import {classifyTelegramFailure, type ClassifiedFailure} from '../classify-error.js'
import {toTelegramFailure} from '../to-failure.js'

export interface RetryPolicy {attempts: number; minDelayMs: number; maxDelayMs: number; jitter: number}

/** A 400 the caller handles in place (§10.2, §10.5): parse error, not modified, edit target gone, migrated group. */
export class SpecialAnswer extends Error {
  constructor(readonly failure: ClassifiedFailure) {
    super(failure.message)
  }
}

/** An ambiguous `sendMessage` failure: it may have reached Telegram, so it is never retried (§10.5). */
export class UncertainSend extends Error {}

/**
 * Runs one Bot API call under §10.5/§10.6: 429 waits `retry_after` and retries the same request;
 * transient failures retry with backoff; `sendMessage` (not idempotent) is retried only when the
 * request provably never left. Other failures become AppErrors with our codes.
 */
export async function callWithPolicy<T>(method: string, idempotent: boolean, retry: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      const failure = classifyTelegramFailure(toTelegramFailure(error, method))
      switch (failure.action) {
        case 'wait':
          await sleep(failure.retryAfterMs! * (1 + Math.random() * 0.1))
          attempt--
          continue
        case 'plain-resend':
        case 'not-modified':
        case 'send-new':
        case 'migrate':
          throw new SpecialAnswer(failure)
        case 'uncertain':
          if (!idempotent) throw new UncertainSend(failure.message)
        // falls through: an idempotent call may be repeated
        case 'retry':
          if (attempt < retry.attempts) {
            await sleep(backoffDelay(attempt - 1, {minMs: retry.minDelayMs, maxMs: retry.maxDelayMs, factor: 2, jitter: retry.jitter}))
            continue
          }
          throw new AppError(failure.code ?? 'TELEGRAM_UNAVAILABLE', failure.message, {hint: ['openclaw channels status --probe'], cause: error})
        default:
          throw new AppError(failure.code ?? 'TELEGRAM_BAD_REQUEST', failure.message, {hint: failure.hint.length > 0 ? failure.hint : ['openclaw channels status'], cause: error})
      }
    }
  }
}
