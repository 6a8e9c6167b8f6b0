import type {Api} from 'grammy'

import type {TelegramLog} from '../account-status.js'
import type {DeliverySink} from '../runtime-seam.js'
import {toTelegramFailure} from '../to-failure.js'
import {callWithPolicy} from './call-policy.js'
import {escapeHtml} from './markdown-html.js'
import {BudgetSkipped} from './throttle.js'
import {editChunk, renderChunks, sendChunk, UncertainSend, type DeliverySettings, type ReplyTarget} from './deliver.js'

export type DeliveryState = 'idle' | 'previewing' | 'finalizing' | 'delivered' | 'failed' | 'uncertain'

export interface DeliveryHooks {
  log: TelegramLog
  streaming: 'off' | 'partial' | 'block'
  /** Called after each message that reached Telegram (status lastOutboundAt). */
  onSent(): void
  /** §10.8: may this chat get an error reply now (at most one per minute)? */
  mayReplyError(chatId: string): boolean
  previewMinChars?: number
  previewDelayMs?: number
  editIntervalMs?: number
  /** The typing loop's timers (tests inject a fake clock). */
  clock?: TypingClock
  typingIntervalMs?: number
  /** How long a turn runs before typing starts (default TYPING_DELAY_MS). */
  typingDelayMs?: number
  /** Safety stop for a run that never reaches final or error (the run timeout normally ends it first). */
  typingMaxMs?: number
  /** A preview message an earlier process created for this run (restart replay): the final edits it. */
  resumePreviewId?: number
}

export interface TypingClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const REAL_CLOCK: TypingClock = {now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)}
/** §10.4: Telegram shows "typing…" for about 5 s, so it is renewed at that pace. */
export const TYPING_INTERVAL_MS = 5000
/**
 * §10.4 says typing starts at admission; we start it once the turn has run this long. A reply within
 * a second reads as immediate without an indicator, and a `sendChatAction` per message would spend
 * half of the bot's 25 requests/s (§10.6) on chats that get their answer in the same second.
 */
export const TYPING_DELAY_MS = 1000
const TYPING_MAX_MS = 30 * 60_000

/**
 * One run's delivery record (telegram.md §10.5): a plain-text preview that is edited at most once
 * a second, then exactly one final. The final step runs at most once (guarded by `state`), and a
 * `sendMessage` that may have reached Telegram is never repeated: the record becomes `uncertain`.
 */
export class DeliverySession implements DeliverySink {
  state: DeliveryState = 'idle'
  previewMessageId: number | null = null
  readonly sentMessageIds: number[] = []
  private latest = ''
  private shown = ''
  private firstTextAt = 0
  private lastEditAt = 0
  private pending: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private timerDue = 0
  private typingTimer: unknown = null
  private typingStartedAt = -1
  private typingPausedUntil = 0
  private typingStopped = false

  private recordPreview: ((messageId: string) => Promise<void>) | null = null

  constructor(private readonly api: Api, private readonly target: ReplyTarget, private readonly settings: DeliverySettings, private readonly hooks: DeliveryHooks) {
    if (hooks.resumePreviewId !== undefined) {
      this.previewMessageId = hooks.resumePreviewId
      this.state = 'previewing'
    }
  }

  /** The runner's recorder for the preview id (see the sink interface); a preview that already exists is recorded now. */
  trackPreview(record: (messageId: string) => Promise<void>): void {
    this.recordPreview = record
    if (this.previewMessageId !== null && this.hooks.resumePreviewId === undefined) this.savePreview(this.previewMessageId)
  }

  private savePreview(messageId: number): void {
    // Best effort: without the line a restart leaves this preview behind (as before), never sends twice.
    this.recordPreview?.(String(messageId)).catch((error: unknown) => this.hooks.log.warn(`preview of chat ${this.target.chatId} not recorded: ${(error as Error).message}`))
  }

  /**
   * §10.4: `typing` once the turn has run TYPING_DELAY_MS, then every 5 s until the final or error
   * starts (or the safety stop); a final or error before the delay sends none. A failed call is
   * logged at debug; a 429 pauses typing for `retry_after`; a 403 (blocked, kicked) ends it.
   */
  typing(): void {
    if (this.typingStartedAt >= 0 || this.typingStopped || this.state === 'finalizing' || this.isTerminal()) return
    const clock = this.clock()
    this.typingStartedAt = clock.now()
    this.typingTimer = clock.setTimeout(() => this.typingTick(), this.hooks.typingDelayMs ?? TYPING_DELAY_MS)
  }

  /** True while the typing loop runs (tests, status). */
  isTyping(): boolean {
    return this.typingTimer !== null
  }

  private clock(): TypingClock {
    return this.hooks.clock ?? REAL_CLOCK
  }

  private typingTick(): void {
    this.typingTimer = null
    const clock = this.clock()
    const now = clock.now()
    if (this.typingStopped || this.state === 'finalizing' || this.isTerminal() || now - this.typingStartedAt >= (this.hooks.typingMaxMs ?? TYPING_MAX_MS)) return
    if (now >= this.typingPausedUntil) {
      void this.api.sendChatAction(this.target.chatId, 'typing', this.target.threadId ? {message_thread_id: Number(this.target.threadId)} : {}).catch((error: unknown) => this.typingFailed(error))
    }
    this.typingTimer = clock.setTimeout(() => this.typingTick(), this.hooks.typingIntervalMs ?? TYPING_INTERVAL_MS)
  }

  private typingFailed(error: unknown): void {
    // Not sent because replies need the request budget (throttle.ts): the next tick tries again.
    if (error instanceof BudgetSkipped) return
    this.hooks.log.debug('sendChatAction failed', {err: error})
    const failure = toTelegramFailure(error, 'sendChatAction')
    if (failure.kind !== 'api') return
    if (failure.errorCode === 403) this.stopTyping()
    else if (failure.retryAfterSec !== undefined) this.typingPausedUntil = this.clock().now() + failure.retryAfterSec * 1000
  }

  private stopTyping(): void {
    this.typingStopped = true
    if (this.typingTimer !== null) this.clock().clearTimeout(this.typingTimer)
    this.typingTimer = null
  }

  preview(text: string): void {
    if (this.hooks.streaming === 'off' || this.state === 'finalizing' || this.isTerminal()) return
    this.latest = text.length > this.settings.textChunkLimit ? `${text.slice(0, this.settings.textChunkLimit - 2)} …` : text
    if (this.firstTextAt === 0) this.firstTextAt = Date.now()
    this.schedule()
  }

  /** Sends the final once; resolves with the record's state (`delivered`, `uncertain` or `failed`). */
  async final(payload: {text: string}): Promise<DeliveryState> {
    if (this.state === 'finalizing' || this.isTerminal()) return this.state
    this.state = 'finalizing'
    this.stopTyping()
    if (this.timer) clearTimeout(this.timer)
    await this.pending
    const text = payload.text.trim()
    try {
      if (text === '' || text === 'NO_REPLY') {
        if (this.previewMessageId !== null) await this.api.deleteMessage(this.target.chatId, this.previewMessageId).catch(() => undefined)
        this.state = 'delivered'
        return this.state
      }
      const chunks = renderChunks(text, this.settings)
      for (const [index, chunk] of chunks.entries()) {
        if (index === 0 && this.previewMessageId !== null) {
          const edited = await editChunk(this.api, this.target, this.previewMessageId, chunk, this.settings)
          if (edited !== null) {
            this.sentMessageIds.push(edited)
            continue
          }
        }
        const replyTo = this.settings.replyToMode === 'all' || (this.settings.replyToMode === 'first' && index === 0) ? this.target.replyToMessageId : undefined
        this.sentMessageIds.push(await sendChunk(this.api, this.target, chunk, this.settings, replyTo, (m) => this.hooks.log.warn(m)))
        this.hooks.onSent()
      }
      this.state = 'delivered'
    } catch (error) {
      this.state = error instanceof UncertainSend ? 'uncertain' : 'failed'
      // Logged, not thrown: the run loop does not await delivery, and nothing may retry a final.
      this.hooks.log.warn(`final reply to chat ${this.target.chatId} ${this.state === 'uncertain' ? 'may be lost (not resent, to avoid a duplicate)' : 'failed'}: ${(error as Error).message}`)
    }
    return this.state
  }

  notice(text: string): void {
    if (this.state === 'finalizing' || this.isTerminal()) return
    // Queued behind preview edits, so the notice lands in order with what the chat already saw.
    this.pending = this.pending
      .then(async () => {
        await sendChunk(this.api, this.target, escapeHtml(text), this.settings, undefined, (m) => this.hooks.log.warn(m))
        this.hooks.onSent()
      })
      .catch((error: unknown) => this.hooks.log.warn(`notice to chat ${this.target.chatId} failed: ${(error as Error).message}`))
  }

  async error(message: string): Promise<void> {
    if (this.isTerminal() || this.state === 'finalizing') return
    this.state = 'finalizing'
    this.stopTyping()
    await this.pending
    try {
      if (this.previewMessageId !== null) {
        // A resumed preview's text is unknown here (an earlier process showed it): the warning replaces it.
        await callWithPolicy('editMessageText', true, this.settings.retry, () => this.api.editMessageText(this.target.chatId, this.previewMessageId!, this.shown === '' ? `⚠️ ${message}` : `${this.shown}\n\n⚠️ ${message}`))
      } else if (this.hooks.mayReplyError(this.target.chatId)) {
        await sendChunk(this.api, this.target, `⚠️ ${message}`, this.settings, undefined, (m) => this.hooks.log.warn(m))
      } else this.hooks.log.info(`error reply to chat ${this.target.chatId} suppressed (one per minute): ${message}`)
    } catch (failure) {
      this.hooks.log.warn(`error reply to chat ${this.target.chatId} failed: ${(failure as Error).message}`)
    } finally {
      this.state = 'failed'
    }
  }

  private isTerminal(): boolean {
    return this.state === 'delivered' || this.state === 'failed' || this.state === 'uncertain'
  }

  private schedule(): void {
    const minChars = this.hooks.previewMinChars ?? 40
    const now = Date.now()
    const due = this.previewMessageId === null
      ? (this.latest.length >= minChars ? now : this.firstTextAt + (this.hooks.previewDelayMs ?? 1500))
      : this.lastEditAt + (this.hooks.editIntervalMs ?? 1000)
    if (this.timer) {
      // Already scheduled, unless the preview just became due earlier (enough text arrived).
      if (due >= this.timerDue) return
      clearTimeout(this.timer)
    }
    this.timerDue = due
    this.timer = setTimeout(() => {
      this.timer = null
      this.pending = this.pending.then(() => this.flushPreview())
    }, Math.max(0, due - now))
  }

  private async flushPreview(): Promise<void> {
    if (this.state === 'finalizing' || this.isTerminal() || this.latest === this.shown || this.latest.trim() === '') return
    const text = this.latest
    // Counted from the start of the request, so a preview() arriving meanwhile schedules ≥ 1 s later.
    this.lastEditAt = Date.now()
    try {
      if (this.previewMessageId === null) {
        const replyTo = this.settings.replyToMode !== 'off' ? this.target.replyToMessageId : undefined
        const sent = await callWithPolicy('sendMessage', false, this.settings.retry, () => this.api.sendMessage(this.target.chatId, text, {
          ...(this.target.threadId && this.target.threadId !== '1' ? {message_thread_id: Number(this.target.threadId)} : {}),
          ...(replyTo === undefined ? {} : {reply_parameters: {message_id: replyTo, allow_sending_without_reply: true}}),
        }))
        this.previewMessageId = sent.message_id
        this.state = 'previewing'
        this.savePreview(sent.message_id)
        this.hooks.onSent()
      } else {
        await callWithPolicy('editMessageText', true, this.settings.retry, () => this.api.editMessageText(this.target.chatId, this.previewMessageId!, text))
      }
      this.shown = text
    } catch (error) {
      this.hooks.log.debug('preview update failed', {err: error})
    }
    if (this.latest !== this.shown) this.schedule()
  }
}
