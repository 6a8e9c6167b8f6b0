import type {Bot} from 'grammy'

import {planBatch, type BatchUnit} from './album-batch.js'
import {backoffDelay, sleep} from './backoff.js'
import {classifyTelegramFailure} from './classify-error.js'
import type {AccountStatusState, TelegramLog} from './account-status.js'
import {toTelegramFailure} from './to-failure.js'

export const ALLOWED_UPDATES = ['message', 'edited_message', 'channel_post', 'my_chat_member'] as const

export interface PollLoopOptions {
  bot: Bot
  status: AccountStatusState
  log: TelegramLog
  /** Offsets (telegram.md §4.4): committed = last update accepted; fetched = highest received. */
  offsets: {committed: number | null; fetched: number | null}
  /** Asks for a background write of the offsets after each batch (not awaited: see `runPollLoop`). */
  persistOffsets(): void
  /** Each successful poll's updates, before they are accepted. */
  onPolled?(updates: ReadonlyArray<{update_id: number}>): void
  /** Accepts one update, or an album's first update with its other `parts` (commit or skip); throws when it could not be committed. */
  accept(update: {update_id: number}, parts: Array<{update_id: number}>): Promise<void>
  signal: AbortSignal
  backoff: {minMs: number; maxMs: number}
  /** getUpdates long-poll seconds (30) and the client deadline for one poll (45 s). */
  pollTimeoutSec: number
  pollDeadlineMs: number
  /** Called when the token is rejected mid-run: the account stops. */
  onTokenRejected(message: string): void
}

/**
 * Our own long-poll loop (telegram.md §4.2, §4.5): we control the offset, so an update is
 * confirmed to Telegram only after it is committed, and a crash at any point replays at most
 * the one batch that was not yet wholly committed. Within a batch, chats are accepted in parallel.
 */
export async function runPollLoop(options: PollLoopOptions): Promise<void> {
  const {bot, status, log, offsets, signal} = options
  await removeWebhookIfSet(options)
  let failures = 0
  let deletedWebhookOnce = false
  // When this process first fetched each uncommitted update: album parts are held until quiet (album-batch.ts).
  const seenAt = new Map<number, number>()
  while (!signal.aborted) {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.pollDeadlineMs)])
    let updates: Array<{update_id: number}>
    try {
      updates = await bot.api.getUpdates({
        ...(offsets.committed === null ? {} : {offset: offsets.committed + 1}),
        limit: 100,
        timeout: options.pollTimeoutSec,
        allowed_updates: [...ALLOWED_UPDATES],
      }, deadline as unknown as Parameters<Bot['api']['getUpdates']>[1])
    } catch (error) {
      if (signal.aborted) return
      const failure = classifyTelegramFailure(toTelegramFailure(error, 'getUpdates'))
      if (failure.action === 'stop-account') return options.onTokenRejected([failure.message, ...failure.hint].join('; '))
      if (failure.action === 'delete-webhook' && !deletedWebhookOnce) {
        deletedWebhookOnce = true
        await bot.api.deleteWebhook({drop_pending_updates: false}).catch(() => undefined)
        continue
      }
      const conflict = failure.action === 'conflict' || failure.action === 'delete-webhook'
      status.recordError(failure.code ?? 'TELEGRAM_UNAVAILABLE', failure.message)
      if (conflict) {
        status.pollingConflict = true
        status.connected = false
        logConflict(status, log, failure.message)
      } else if (++failures >= 2) {
        status.connected = false
        status.rateLimitedWarn(log, `getUpdates failed: ${failure.message}; retrying`)
      }
      const wait = failure.action === 'wait' ? failure.retryAfterMs! : backoffDelay(Math.min(failures, 10), options.backoff)
      await sleep(wait, signal)
      continue
    }
    failures = 0
    status.pollSucceeded()
    options.onPolled?.(updates)
    if (updates.length === 0) continue
    offsets.fetched = Math.max(offsets.fetched ?? 0, updates.at(-1)!.update_id)
    const now = Date.now()
    for (const update of updates) if (!seenAt.has(update.update_id)) seenAt.set(update.update_id, now)
    const plan = planBatch(updates as Array<{update_id: number}>, seenAt, now)
    if (!(await acceptBatch(options, plan.units))) return
    for (const id of seenAt.keys()) if (id <= (offsets.committed ?? -1)) seenAt.delete(id)
    // Not awaited, and not needed before a batch is handled (telegram.md §4.4 writes fetchedUpdateId
    // first): a batch is confirmed to Telegram by the next poll only once it is wholly accepted, so
    // the updates a crash leaves possibly handled are all in the one unconfirmed batch, which
    // Telegram sends again first, as the first batch after the restart, whose updates are all
    // checked against their transcripts (account-runner.ts `onPolled`). The file is a hint for the
    // restart offset; an older one only makes Telegram skip updates it already dropped.
    options.persistOffsets()
    // An album that may still grow: Telegram keeps it (uncommitted) and the next poll after the hold fetches it whole.
    if (plan.holdUntil !== null) await sleep(Math.max(0, plan.holdUntil - Date.now()), signal)
  }
}

/** The chat an update belongs to: updates of one chat are accepted in order, chats in parallel. */
function chatOf(update: {update_id: number}): string {
  const u = update as {message?: {chat?: {id?: number}}; edited_message?: {chat?: {id?: number}}; channel_post?: {chat?: {id?: number}}; my_chat_member?: {chat?: {id?: number}}}
  const chat = (u.message ?? u.edited_message ?? u.channel_post ?? u.my_chat_member)?.chat?.id
  return chat === undefined ? 'none' : String(chat)
}

/**
 * Accepts one batch: each chat's updates in order, different chats at once (acceptance is mostly
 * waiting for fsyncs, so a burst from many chats would otherwise queue behind one disk). The
 * committed offset only moves over a gap-free prefix of the batch, so a crash replays at most what
 * was not committed yet (and §4.4's transcript check catches what was). False when stopped.
 */
async function acceptBatch(options: PollLoopOptions, units: Array<BatchUnit<{update_id: number}>>): Promise<boolean> {
  const {offsets} = options
  // Every update of the units, in id order: the committed offset moves over their gap-free prefix.
  const updates = units.flatMap((unit) => [unit.update, ...unit.parts]).sort((a, b) => a.update_id - b.update_id)
  const accepted = new Set<number>()
  let next = 0
  const chains = new Map<string, Promise<boolean>>()
  const results = units.map(({update, parts}) => {
    const key = chatOf(update)
    const mine = (chains.get(key) ?? Promise.resolve(true)).then(async (ok) => {
      if (!ok || options.signal.aborted || !(await acceptWithRetry(options, update, parts))) return false
      accepted.add(update.update_id)
      for (const part of parts) accepted.add(part.update_id)
      while (next < updates.length && accepted.has(updates[next].update_id)) offsets.committed = updates[next++].update_id
      return true
    })
    chains.set(key, mine)
    return mine
  })
  return (await Promise.all(results)).every(Boolean)
}

/** Retries one update with backoff until it is accepted; never skips ahead. False when stopped. */
async function acceptWithRetry(options: PollLoopOptions, update: {update_id: number}, parts: Array<{update_id: number}>): Promise<boolean> {
  for (let attempt = 0; !options.signal.aborted; attempt++) {
    try {
      await options.accept(update, parts)
      return true
    } catch (error) {
      options.log.error(`could not accept update ${update.update_id}; retrying`, {err: (error as {error?: unknown}).error ?? error})
      options.status.recordError('INTERNAL', `could not accept update ${update.update_id}: ${(error as Error).message}`)
      await sleep(backoffDelay(Math.min(attempt, 10), options.backoff), options.signal)
    }
  }
  return false
}

async function removeWebhookIfSet(options: PollLoopOptions): Promise<void> {
  try {
    const info = await options.bot.api.getWebhookInfo()
    if (info.url) {
      await options.bot.api.deleteWebhook({drop_pending_updates: false})
      options.log.info(`removed webhook ${info.url} to use long polling`)
    }
  } catch (error) {
    options.log.debug('getWebhookInfo failed; polling anyway', {err: error})
  }
}

function logConflict(status: AccountStatusState, log: TelegramLog, message: string): void {
  const sinceStart = Date.now() - (status.lastStartAt ?? 0)
  // A killed process's last long poll can linger at Telegram for up to its timeout.
  if (sinceStart < 35_000) log.info(message)
  else if (Date.now() - status.lastConflictWarnAt > 5 * 60_000) {
    status.lastConflictWarnAt = Date.now()
    log.warn(message, {data: {hint: 'stop the other poller, or revoke the token in @BotFather with /revoke'}})
  }
}
