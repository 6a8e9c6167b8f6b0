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
  const gate = new GlobalGate(limiter)
  const acquire = async (chatId: string | null, signal?: AbortSignal) => {
    for (let wait = limiter.take(chatId); wait > 0; wait = limiter.take(chatId)) {
      if (signal?.aborted) return
      // Held back by the global bucket alone: wait in line instead of on a timer of one's own.
      if (limiter.chatReady(chatId)) await gate.turn(signal)
      else await sleep(wait, signal)
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

/**
 * The calls (of any chat) that only the global bucket holds back, in arrival order. One timer
 * serves the head as tokens come back, so a burst of N waiting replies costs one wake-up per
 * token instead of N timers firing (and N failed takes) every time a token refills.
 */
class GlobalGate {
  private readonly waiting: Array<() => void> = []
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly limiter: RateLimiter) {}

  /** Resolves when it is this caller's turn to try the buckets again (or on abort). */
  turn(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        const at = this.waiting.indexOf(done)
        if (at >= 0) this.waiting.splice(at, 1)
        done()
      }
      if (signal?.aborted) return resolve()
      signal?.addEventListener('abort', onAbort, {once: true})
      this.waiting.push(done)
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.timer !== null || this.waiting.length === 0) return
    this.timer = setTimeout(() => {
      this.timer = null
      // The head takes its token in the microtasks after this; the next head is looked at after them.
      if (this.limiter.globalWait() === 0) this.waiting.shift()?.()
      setImmediate(() => this.schedule())
    }, this.limiter.globalWait())
  }
}
