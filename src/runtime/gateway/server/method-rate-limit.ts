/**
 * Per-method, per-client-IP request limits for write methods (protocol.md §6.1: `config.set`,
 * `config.apply`, `config.patch`, `cron.*` get 30 per 60 s). A method opts in by declaring
 * `rateLimit` in its definition; dispatch applies it.
 */

/** A limit as a method declares it. */
export interface MethodRateLimit {
  max: number
  windowMs: number
}

/** The §6.1 write limit. */
export const WRITE_METHOD_RATE_LIMIT: MethodRateLimit = Object.freeze({max: 30, windowMs: 60_000})

const MAX_TRACKED_KEYS = 10_000

export class MethodRateLimiter {
  /** Request times per `method|ip`, oldest first; Map order doubles as LRU order. */
  private readonly hits = new Map<string, number[]>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a call; returns 0 when allowed, else the ms until the oldest call leaves the window. */
  take(method: string, ip: string, limit: MethodRateLimit): number {
    const key = `${method}|${ip}`
    const now = this.now()
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < limit.windowMs)
    this.hits.delete(key)
    if (recent.length >= limit.max) {
      this.hits.set(key, recent)
      return Math.max(1, recent[0] + limit.windowMs - now)
    }
    recent.push(now)
    this.hits.set(key, recent)
    if (this.hits.size > MAX_TRACKED_KEYS) {
      const oldest = this.hits.keys().next().value
      if (oldest !== undefined) this.hits.delete(oldest)
    }
    return 0
  }
}
