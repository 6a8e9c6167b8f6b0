/**
 * The grammY API transformer that applies the RateLimiter to every call of one account (§10.6):
 * calls into one chat leave in FIFO order, each waits until the global and that chat's buckets
 * allow it, and a 429 answer pauses the chat (or the account) for `retry_after`. The caller's
 * retry policy then repeats the request; the pause makes the repeat wait too.
 */
import type {Transformer} from 'grammy'

import {sleep} from '../backoff.js'
import {CHAT_METHODS, RateLimiter} from './rate-limiter.js'

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
    const key = chatId ?? ''
    const turn = (queues.get(key) ?? Promise.resolve()).then(() => acquire(chatId, signal as AbortSignal | undefined))
    const tail = turn.catch(() => undefined)
    queues.set(key, tail)
    try {
      await turn
    } finally {
      if (queues.get(key) === tail) queues.delete(key)
    }
    const result = await prev(method, payload, signal)
    if (!result.ok && result.error_code === 429) {
      const seconds = result.parameters?.retry_after ?? 1
      limiter.pause(chatId, seconds * 1000)
    }
    return result
  }
}
