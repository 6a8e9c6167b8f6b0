/**
 * The outbound pacing of telegram.md §10.6 as token buckets (pure: the clock is injected, nothing
 * sleeps here). One limiter per account: a global bucket (25/s, burst 25) for every call, and per
 * chat 1/s burst 3 (private) or 20/min burst 5 (groups) for the calls that post into a chat.
 * `take` either spends a token from every bucket involved or spends nothing and says how long to
 * wait, so a chat held back by its own bucket never uses up the global budget of other chats.
 */

export interface BucketSpec {
  capacity: number
  /** Tokens regained per millisecond. */
  perMs: number
}

export interface RateLimits {
  global: BucketSpec
  privateChat: BucketSpec
  groupChat: BucketSpec
  /** Per-chat state unused this long is dropped (bounded memory). */
  idleEvictMs: number
}

export const TELEGRAM_LIMITS: RateLimits = {
  global: {capacity: 25, perMs: 25 / 1000},
  privateChat: {capacity: 3, perMs: 1 / 1000},
  groupChat: {capacity: 5, perMs: 20 / 60_000},
  idleEvictMs: 10 * 60_000,
}

/**
 * The limits multiplied by `factor` (rates and bursts). Only for benchmarks and load tests against a
 * fake Bot API (`OPENCLAW_BENCH_TELEGRAM_RATE_SCALE`): real Telegram answers 429 above the defaults.
 */
export function scaleLimits(limits: RateLimits, factor: number): RateLimits {
  const scale = (spec: BucketSpec): BucketSpec => ({capacity: Math.max(1, Math.round(spec.capacity * factor)), perMs: spec.perMs * factor})
  return {...limits, global: scale(limits.global), privateChat: scale(limits.privateChat), groupChat: scale(limits.groupChat)}
}

/** Calls that post into a chat count for its bucket too; `sendChatAction` and the rest only globally. */
export const CHAT_METHODS: ReadonlySet<string> = new Set(['sendMessage', 'editMessageText', 'deleteMessage', 'sendPhoto', 'sendDocument'])

interface Bucket {tokens: number; at: number; pausedUntil: number}

/** The share of the global burst that best-effort calls leave to replies (see `takeSpare`). */
const SPARE_SHARE = 0.2

/** Private chats have positive ids; groups, supergroups and channels negative ones. */
export function isPrivateChat(chatId: string): boolean {
  return !chatId.startsWith('-')
}

export class RateLimiter {
  private readonly global: Bucket
  private readonly chats = new Map<string, Bucket>()
  private lastSweep: number

  constructor(private readonly limits: RateLimits = TELEGRAM_LIMITS, private readonly now: () => number = Date.now) {
    this.global = {tokens: limits.global.capacity, at: now(), pausedUntil: 0}
    this.lastSweep = now()
  }

  /** 0 = go now (tokens spent); otherwise the milliseconds to wait before asking again (nothing spent). */
  take(chatId: string | null): number {
    const now = this.now()
    this.sweep(now)
    const global = this.refill(this.global, this.limits.global, now)
    const chatSpec = chatId === null ? null : isPrivateChat(chatId) ? this.limits.privateChat : this.limits.groupChat
    const chat = chatId === null || chatSpec === null ? null : this.refill(this.chatBucket(chatId, chatSpec, now), chatSpec, now)
    const wait = Math.max(this.waitFor(global, this.limits.global, now), chat === null ? 0 : this.waitFor(chat, chatSpec!, now))
    if (wait > 0) return wait
    global.tokens -= 1
    if (chat !== null) chat.tokens -= 1
    return 0
  }

  /** True when `chatId`'s own bucket (none for null) would let a call go now: only the global bucket can hold it back. */
  chatReady(chatId: string | null): boolean {
    if (chatId === null) return true
    const now = this.now()
    const spec = isPrivateChat(chatId) ? this.limits.privateChat : this.limits.groupChat
    return this.waitFor(this.refill(this.chatBucket(chatId, spec, now), spec, now), spec, now) === 0
  }

  /** Milliseconds until the global bucket has a token (0 = now); spends nothing. */
  globalWait(): number {
    const now = this.now()
    return this.waitFor(this.refill(this.global, this.limits.global, now), this.limits.global, now)
  }

  /**
   * A best-effort call (typing): spends a global token only when the bucket keeps a fifth of its
   * capacity besides, and the account is not paused; never waits. True = go now.
   */
  takeSpare(): boolean {
    const now = this.now()
    this.sweep(now)
    const global = this.refill(this.global, this.limits.global, now)
    if (now < global.pausedUntil || global.tokens < 1 + this.limits.global.capacity * SPARE_SHARE) return false
    global.tokens -= 1
    return true
  }

  /** A 429 (`retry_after`): hold that chat, or every call when the limit was not per chat. */
  pause(chatId: string | null, ms: number): void {
    const now = this.now()
    const bucket = chatId === null ? this.global : this.chatBucket(chatId, isPrivateChat(chatId) ? this.limits.privateChat : this.limits.groupChat, now)
    bucket.pausedUntil = Math.max(bucket.pausedUntil, now + ms)
  }

  /** How many chats have limiter state (tests and status). */
  get trackedChats(): number {
    return this.chats.size
  }

  private chatBucket(chatId: string, spec: BucketSpec, now: number): Bucket {
    let bucket = this.chats.get(chatId)
    if (bucket === undefined) this.chats.set(chatId, (bucket = {tokens: spec.capacity, at: now, pausedUntil: 0}))
    return bucket
  }

  private refill(bucket: Bucket, spec: BucketSpec, now: number): Bucket {
    bucket.tokens = Math.min(spec.capacity, bucket.tokens + (now - bucket.at) * spec.perMs)
    bucket.at = now
    return bucket
  }

  private waitFor(bucket: Bucket, spec: BucketSpec, now: number): number {
    const paused = Math.max(0, bucket.pausedUntil - now)
    // The epsilon keeps float noise (0.999 tokens at 1/ms) from rounding a 1 ms wait up to 2.
    const empty = bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / spec.perMs - 1e-9)
    return Math.max(paused, empty)
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return
    this.lastSweep = now
    for (const [chatId, bucket] of this.chats) {
      if (now - bucket.at >= this.limits.idleEvictMs && now >= bucket.pausedUntil) this.chats.delete(chatId)
    }
  }
}
