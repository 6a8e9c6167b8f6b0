import type {ModelErrorKind} from './provider.js'

/** What the failover loop does after a failed attempt (runtime.md §8.4). */
export type FailoverAction = 'rotate' | 'retry' | 'compact' | 'fallback' | 'fatal' | 'stop'

/** Longest Retry-After worth waiting for; longer moves on to the next candidate. */
export const MAX_RETRY_AFTER_MS = 60_000

export interface ClassifyInput {
  kind: ModelErrorKind
  retryAfterMs?: number
  /** Another key of the provider is usable right now. */
  otherKeyFree: boolean
}

/**
 * The pure classification table of runtime.md §8.4. An auth failure rotates when another key is
 * free (that key is a different credential) and otherwise falls back.
 */
export function classify(input: ClassifyInput): FailoverAction {
  switch (input.kind) {
    case 'aborted':
      return 'stop'
    case 'context_overflow':
      return 'compact'
    case 'bad_request':
      return 'fatal'
    case 'auth':
      return input.otherKeyFree ? 'rotate' : 'fallback'
    case 'billing':
    case 'not_found':
      return 'fallback'
    case 'rate_limit':
      if (input.otherKeyFree) return 'rotate'
      return (input.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS ? 'fallback' : 'retry'
    case 'overloaded':
    case 'server':
    case 'network':
    case 'timeout':
      return (input.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS ? 'fallback' : 'retry'
  }
}

/**
 * Delay before retry `attempt` (1-based): `d = min(30 s, 1 s × 2^(attempt−1))` drawn uniformly
 * from `[d/2, d]`; a Retry-After raises it to that value, capped at 60 s.
 */
export function backoffDelayMs(attempt: number, random: number, retryAfterMs?: number): number {
  const d = Math.min(30_000, 1000 * 2 ** (attempt - 1))
  const drawn = d / 2 + random * (d / 2)
  if (retryAfterMs === undefined) return Math.round(drawn)
  return Math.round(Math.max(drawn, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)))
}

/** The chat `errorKind` for a final failure (runtime.md §8.4). */
export function chatErrorKind(kind: ModelErrorKind): 'rate_limit' | 'timeout' | 'context_length' | 'unknown' {
  if (kind === 'rate_limit') return 'rate_limit'
  if (kind === 'timeout') return 'timeout'
  if (kind === 'context_overflow') return 'context_length'
  return 'unknown'
}
