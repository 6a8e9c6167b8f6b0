/**
 * Failed-auth rate limiting per client IP (protocol.md §4.2): a sliding window of failures locks
 * an IP out; exempt (loopback) clients are never locked out but wait longer after each failure.
 */

/** `gateway.auth.rateLimit` with the §4.2 defaults. */
export interface AuthRateLimitSettings {
  /** Failures within `windowMs` that lock the IP (default 10). */
  maxAttempts: number
  /** Sliding window, ms (default 60 000). Also how long an exempt client's streak lasts. */
  windowMs: number
  /** Lockout length, ms (default 300 000). */
  lockoutMs: number
  /** Loopback clients are never locked out (default true). */
  exemptLoopback: boolean
}

export const DEFAULT_AUTH_RATE_LIMIT: AuthRateLimitSettings = Object.freeze({
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
  exemptLoopback: true,
})

/** Exempt clients' n-th consecutive failure waits BASE × 2^(n−1) ms, capped. */
const EXEMPT_BASE_DELAY_MS = 250
const EXEMPT_MAX_DELAY_MS = 5_000
const DEFAULT_MAX_TRACKED_IPS = 10_000

interface IpRecord {
  /** Failure times inside the window, oldest first; never longer than maxAttempts. */
  failures: number[]
  lockedUntil: number
  /** Consecutive failures of an exempt client, and when the last one happened. */
  streak: number
  lastFailureAt: number
}

export type RateLimitCheck = {locked: false} | {locked: true; retryAfterMs: number}

/** One limiter per gateway; `now` is injectable so tests drive the clock. */
export class AuthRateLimiter {
  private readonly settings: AuthRateLimitSettings
  private readonly records = new Map<string, IpRecord>()

  constructor(
    settings: Partial<AuthRateLimitSettings> = {},
    private readonly now: () => number = Date.now,
    private readonly maxTrackedIps = DEFAULT_MAX_TRACKED_IPS,
  ) {
    this.settings = {...DEFAULT_AUTH_RATE_LIMIT, ...settings}
  }

  /** Whether a connect from `ip` may proceed to the secret check. Exempt clients are never locked. */
  check(ip: string, exempt: boolean): RateLimitCheck {
    if (exempt && this.settings.exemptLoopback) return {locked: false}
    const record = this.records.get(ip)
    if (record === undefined) return {locked: false}
    const left = record.lockedUntil - this.now()
    return left > 0 ? {locked: true, retryAfterMs: left} : {locked: false}
  }

  /**
   * Records a failed secret and returns how long to wait before answering (ms): the escalating
   * delay for exempt clients, 0 for others (who are locked out after `maxAttempts` instead).
   */
  recordFailure(ip: string, exempt: boolean): number {
    const now = this.now()
    const record = this.touch(ip)
    if (exempt && this.settings.exemptLoopback) {
      record.streak = now - record.lastFailureAt > this.settings.windowMs ? 1 : record.streak + 1
      record.lastFailureAt = now
      return Math.min(EXEMPT_BASE_DELAY_MS * 2 ** (record.streak - 1), EXEMPT_MAX_DELAY_MS)
    }
    const cutoff = now - this.settings.windowMs
    record.failures = record.failures.filter((t) => t > cutoff)
    record.failures.push(now)
    if (record.failures.length >= this.settings.maxAttempts) {
      record.lockedUntil = now + this.settings.lockoutMs
      record.failures = []
    }
    return 0
  }

  /** A successful auth clears the IP's failures and streak (not an active lockout: it never gets this far). */
  recordSuccess(ip: string): void {
    this.records.delete(ip)
  }

  /** Number of IPs currently tracked (bounded by the LRU cap). */
  get size(): number {
    return this.records.size
  }

  private touch(ip: string): IpRecord {
    let record = this.records.get(ip)
    if (record === undefined) {
      record = {failures: [], lockedUntil: 0, streak: 0, lastFailureAt: Number.NEGATIVE_INFINITY}
    } else {
      this.records.delete(ip)
    }
    // Map iteration order is insertion order: re-inserting makes this IP the most recent.
    this.records.set(ip, record)
    if (this.records.size > this.maxTrackedIps) {
      const oldest = this.records.keys().next().value
      if (oldest !== undefined) this.records.delete(oldest)
    }
    return record
  }
}
