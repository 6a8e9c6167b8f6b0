/**
 * The grammY API transformer that applies the RateLimiter to every call of one account (§10.6):
 * calls into one chat leave in FIFO order, each waits until the global and that chat's buckets
 * allow it, and a 429 answer pauses the chat (or the account) for `retry_after`. The caller's
 * retry policy then repeats the request; the pause makes the repeat wait too.
 */
import type {Transformer} from 'grammy'

import {sleep} from '../backoff.js'
import {CHAT_METHODS, RateLimiter} from './rate-limiter.js'

/**
 * Calls that are worth nothing late (the typing indicator): they go only when the global bucket has
 * tokens to spare (RateLimiter.takeSpare), never wait, and otherwise fail at once with
 * BudgetSkipped. Replies never queue behind them, and a burst does not spend the budget on them.
 */
const BEST_EFFORT: ReadonlySet<string> = new Set(['sendChatAction'])

/** A best-effort call not made because the rate budget was spoken for (not an API answer). */
export class BudgetSkipped extends Error {
  constructor(method: string) {
    super(`${method} skipped: the bot's request budget is in use by replies`)
  }
}

export function throttleTransformer(limiter: RateLimiter = new RateLimiter()): Transformer {
  const queues = new Map<string, Promise<void>>()
  const acquire = async (chatId: string | null, signal?: AbortSignal) => {
    for (let wait = limiter.take(chatId); wait > 0; wait = limiter.take(chatId)) {
      if (signal?.aborted) return
      await sleep(wait, signal)
    }
  }
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal)
    const raw = (payload as {chat_id?: unknown} | undefined)?.chat_id
    const chatId = CHAT_METHODS.has(method) && raw !== undefined ? String(raw) : null
    if (BEST_EFFORT.has(method)) {
      if (!limiter.takeSpare()) throw new BudgetSkipped(method)
    } else {
      const key = chatId ?? ''
      const turn = (queues.get(key) ?? Promise.resolve()).then(() => acquire(chatId, signal as AbortSignal | undefined))
      const tail = turn.catch(() => undefined)
      queues.set(key, tail)
      try {
        await turn
      } finally {
        if (queues.get(key) === tail) queues.delete(key)
      }
    }
    const result = await prev(method, payload, signal)
    if (!result.ok && result.error_code === 429) {
      const seconds = result.parameters?.retry_after ?? 1
      limiter.pause(chatId, seconds * 1000)
    }
    return result
  }
}
