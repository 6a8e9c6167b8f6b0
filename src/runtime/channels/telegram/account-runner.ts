import {Bot, type Api} from 'grammy'
import type {Update, UserFromGetMe} from 'grammy/types'

import type {AccountSnapshot} from '../adapter.js'
import type {TelegramAccount} from './accounts.js'
import {AccountStatusState, type TelegramLog} from './account-status.js'
import {backoffDelay, sleep} from './backoff.js'
import {createBotFetch, type ApiClientFetch, type BotFetch} from './bot-fetch.js'
import {classifyTelegramFailure} from './classify-error.js'
import {offsetFile, readOffsets, writeOffsets} from './offset-store.js'
import {ALLOWED_UPDATES, runPollLoop} from './poll-loop.js'
import {toTelegramFailure} from './to-failure.js'
import {acquireTokenLock} from './token-lock.js'
import {throttleTransformer} from './outbound/throttle.js'
import {RateLimiter, type RateLimits} from './outbound/rate-limiter.js'
import {WebhookListeners, type WebhookServer} from './webhook-server.js'

/** One update on its way in, with what the runner knows about it. */
export interface IncomingUpdate {
  update: Update
  api: Api
  me: UserFromGetMe
  accountId: string
  /** True when the update may have been committed before a crash (committed < id ≤ fetched): check the transcript. */
  maybeDone: boolean
  /** The other updates of an album (same `media_group_id`, telegram.md §8), accepted as one message with this one. */
  albumParts: Update[]
  /** Marks the update skipped with a reason (one log line, counted in status). */
  skip(reason: string, details?: {chatId?: string; chatType?: string; senderId?: string; threadId?: string}): void
}

export interface AccountTiming {
  backoffMinMs: number
  backoffMaxMs: number
  pollTimeoutSec: number
  pollDeadlineMs: number
  lockRetryMs: number
}

export const DEFAULT_TIMING: AccountTiming = {backoffMinMs: 2000, backoffMaxMs: 30_000, pollTimeoutSec: 30, pollDeadlineMs: 45_000, lockRetryMs: 30_000}

export interface AccountRunnerDeps {
  account: TelegramAccount
  stateDir: string
  /** Root of the machine-wide lock dir (default `<os.tmpdir()>/openclaw`). */
  machineDir?: string
  log: TelegramLog
  handle(incoming: IncomingUpdate): Promise<void>
  /** Extra bot menu entries come from config; the built-in chat commands are always there. */
  commands: Array<{command: string; description: string}>
  timing?: Partial<AccountTiming>
  /** The channel's shared webhook listeners (one per host:port); default: a listener of its own. */
  webhooks?: WebhookListeners
  /** Outbound pacing (§10.6); default TELEGRAM_LIMITS. */
  limits?: RateLimits
  /** Installs API transformers (the rate limiter) on the account's bot. */
  configureApi?(api: Api): void
  /** Told when the account stopped on its own (`fail`) or a lock retry started it. */
  onStateChange?(): void
}

const DUPLICATE_WINDOW = 2000
/** The least time between two background writes of the offset file while polling (see `persistSoon`). */
const OFFSET_WRITE_INTERVAL_MS = 1000

/** One Telegram account's lifecycle (telegram.md §3, §4): lock, getMe, commands, poll loop, graceful stop. */
export class TelegramAccountRunner {
  readonly status = new AccountStatusState()
  bot: Bot | null = null
  private fetch: BotFetch | null = null
  private readonly timing: AccountTiming
  private abort: AbortController | null = null
  private loop: Promise<void> | null = null
  private releaseLock: (() => void) | null = null
  private offsets: {committed: number | null; fetched: number | null} = {committed: null, fetched: null}
  private replayUpTo: number | null = null
  /** True until the first successful poll after a start: its batch is the one a crash may have left half done. */
  private firstPoll = true
  /** Background offset writes (`persistSoon`): the chain of writes, the next one scheduled, the last start. */
  private writing: Promise<void> = Promise.resolve()
  private writeTimer: NodeJS.Timeout | null = null
  private lastWriteAt = 0
  private readonly recent = new Set<number>()
  /** Album parts travelling with their first update through grammY's handleUpdate (keyed by that update's id). */
  private readonly albumParts = new Map<number, Update[]>()
  private lockRetry: NodeJS.Timeout | null = null
  /** The bound webhook port in webhook mode (the configured one, or the OS's pick for port 0 in tests). */
  webhookPort: number | null = null

  constructor(private readonly deps: AccountRunnerDeps) {
    this.timing = {...DEFAULT_TIMING, ...deps.timing}
  }

  get accountId(): string {
    return this.deps.account.accountId
  }

  /** Starts the account; failures land in status (lastError), never throw. Resolves once polling runs or the start failed. */
  async start(): Promise<void> {
    const {account, log} = this.deps
    if (this.abort) return
    this.status.lastStartAt = Date.now()
    if (!account.enabled) return
    if (account.startError || account.token === null || account.tokenHash === null) {
      this.status.recordError(account.startError?.code ?? 'TELEGRAM_TOKEN_INVALID', account.startError?.message ?? 'no bot token: set channels.telegram.botToken, tokenFile or TELEGRAM_BOT_TOKEN')
      log.warn(`account ${account.accountId} not started: ${this.status.lastError}`)
      return
    }
    const lock = acquireTokenLock({stateDir: this.deps.stateDir, machineDir: this.deps.machineDir}, account.tokenHash, {accountId: account.accountId, mode: account.settings.webhookUrl ? 'webhook' : 'polling'}, (pid) => log.warn(`replaced stale telegram token lock of pid ${pid}`))
    if (!lock.ok) {
      this.status.lockHolder = lock.holder
      this.status.recordError('TELEGRAM_TOKEN_LOCKED', lock.message)
      log.warn(`bot ${account.botId}: ${lock.message}; retrying every ${Math.round(this.timing.lockRetryMs / 1000)} s`)
      this.lockRetry = setTimeout(() => {
        this.lockRetry = null
        void this.start().then(() => this.deps.onStateChange?.())
      }, this.timing.lockRetryMs)
      this.lockRetry.unref()
      return
    }
    this.status.lockHolder = null
    this.releaseLock = lock.release
    const abort = (this.abort = new AbortController())
    const fetch = (this.fetch = createBotFetch())
    const bot = (this.bot = new Bot(account.token, {client: {apiRoot: account.settings.apiRoot, fetch: fetch as unknown as ApiClientFetch}}))
    bot.api.config.use(throttleTransformer(new RateLimiter(this.deps.limits)))
    this.deps.configureApi?.(bot.api)
    bot.catch((error) => log.error('update handler failed', {err: error.error}))
    bot.use((ctx) => this.handleOne(ctx.update, ctx.api, ctx.me))
    // Resolves after the first getMe attempt: network trouble keeps retrying in the background
    // (status running, not connected) instead of holding up the gateway's start.
    let firstAttempt!: () => void
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve))
    this.loop = this.run(bot, abort.signal, firstAttempt).catch((error) => log.error('poll loop crashed', {err: error})).finally(firstAttempt)
    await attempted
  }

  private async run(bot: Bot, signal: AbortSignal, firstAttempt: () => void): Promise<void> {
    const {log} = this.deps
    this.status.running = true
    if (!(await this.init(bot, signal, firstAttempt))) return
    this.loadOffsets()
    await bot.api.setMyCommands(this.deps.commands).catch((error) => log.warn('setMyCommands failed', {err: toTelegramFailure(error, 'setMyCommands')}))
    if (this.deps.account.settings.webhookUrl) return this.serveWebhook(bot, signal, firstAttempt)
    firstAttempt()
    await runPollLoop({
      bot,
      status: this.status,
      log,
      offsets: this.offsets,
      persistOffsets: () => this.persistSoon(),
      onPolled: (updates) => this.polled(updates),
      accept: (update, parts) => this.accept(bot, update as Update, parts as Update[]),
      signal,
      backoff: {minMs: this.timing.backoffMinMs, maxMs: this.timing.backoffMaxMs},
      pollTimeoutSec: this.timing.pollTimeoutSec,
      pollDeadlineMs: this.timing.pollDeadlineMs,
      onTokenRejected: (message) => void this.fail('TELEGRAM_TOKEN_REJECTED', message),
    })
  }

  /** Webhook mode (§5): listen, register the webhook, serve until stopped; the webhook stays registered so Telegram queues updates meanwhile. */
  private async serveWebhook(bot: Bot, signal: AbortSignal, firstAttempt: () => void): Promise<void> {
    const {settings} = this.deps.account
    const {log} = this.deps
    let server: WebhookServer | undefined
    try {
      server = await (this.deps.webhooks ?? new WebhookListeners()).attach({
        host: settings.webhookHost, port: settings.webhookPort, path: settings.webhookPath, secret: settings.webhookSecret ?? '',
        accept: (update) => this.accept(bot, update as unknown as Update, []),
        onRefused: (reason) => log.warn(`webhook request refused: ${reason}`),
      })
      await bot.api.setWebhook(settings.webhookUrl!, {secret_token: settings.webhookSecret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 1, drop_pending_updates: false})
    } catch (error) {
      log.error(`webhook mode could not start on ${settings.webhookHost}:${settings.webhookPort}`, {err: toTelegramFailure(error, 'setWebhook')})
      await server?.close()
      // Not running: the lock is released, so status and /ready show this account as failed.
      this.fail('TELEGRAM_UNAVAILABLE', `webhook mode could not start: ${(error as Error).message}`)
      return firstAttempt()
    }
    this.status.connected = true
    this.webhookPort = server.port
    log.info(`webhook listening on ${settings.webhookHost}:${server.port}${settings.webhookPath}`)
    firstAttempt()
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), {once: true})))
    await server.close()
  }

  /** Graceful stop (telegram.md §4.3): abort the poll, confirm committed updates, persist, release. */
  async stop(): Promise<void> {
    if (this.lockRetry) clearTimeout(this.lockRetry)
    this.lockRetry = null
    const abort = this.abort
    if (!abort) return
    abort.abort()
    await this.loop
    if (this.bot && this.status.running && this.offsets.committed !== null && !this.deps.account.settings.webhookUrl) {
      // Confirms what we committed and ends any long poll Telegram still holds for us (no 409 for the next poller).
      await this.bot.api.getUpdates({offset: this.offsets.committed + 1, limit: 1, timeout: 0}).catch(() => undefined)
    }
    if (this.writeTimer) clearTimeout(this.writeTimer)
    this.writeTimer = null
    await this.writing
    await this.persistOffsets()
    this.teardown()
  }

  snapshot(base: Omit<AccountSnapshot, keyof AccountStatusState | 'pendingPairings'> & {pendingPairings: number}): AccountSnapshot {
    const s = this.status
    return {
      ...base,
      running: s.running, connected: s.connected && s.running, botId: s.botId, botUsername: s.botUsername, privacyMode: s.privacyMode,
      lastStartAt: s.lastStartAt, lastPollAt: s.lastPollAt, lastInboundAt: s.lastInboundAt, lastOutboundAt: s.lastOutboundAt,
      lastError: s.lastError, lastErrorCode: s.lastErrorCode, lastErrorAt: s.lastErrorAt, pollingConflict: s.pollingConflict,
      lockHolder: s.lockHolder, pendingUpdateCount: s.pendingUpdateCount, skipped: {...s.skipped}, lastSkip: s.lastSkip,
    }
  }

  private async init(bot: Bot, signal: AbortSignal, firstAttempt: () => void): Promise<boolean> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      if (attempt === 1) firstAttempt()
      try {
        // One getMe per attempt (bot.init() would retry network errors itself, without our backoff and status).
        bot.botInfo = await bot.api.getMe(AbortSignal.any([signal, AbortSignal.timeout(this.timing.pollDeadlineMs)]) as unknown as Parameters<Bot['api']['getMe']>[0])
        this.status.botId = String(bot.botInfo.id)
        this.status.botUsername = bot.botInfo.username
        this.status.privacyMode = !bot.botInfo.can_read_all_group_messages
        this.deps.log.info(`bot ${bot.botInfo.id} (@${bot.botInfo.username}) connected`)
        return true
      } catch (error) {
        const failure = classifyTelegramFailure(toTelegramFailure(error, 'getMe'))
        if (failure.action === 'stop-account') {
          this.fail('TELEGRAM_TOKEN_REJECTED', `${failure.message}; ${failure.hint.join('; ')}`)
          return false
        }
        this.status.recordError(failure.code ?? 'TELEGRAM_UNAVAILABLE', failure.message)
        this.status.rateLimitedWarn(this.deps.log, `getMe failed (${failure.message}); retrying`)
        await sleep(backoffDelay(attempt, {minMs: this.timing.backoffMinMs, maxMs: this.timing.backoffMaxMs}), signal)
      }
    }
    return false
  }

  private fail(code: string, message: string): void {
    this.status.recordError(code, message)
    this.deps.log.error(`account ${this.accountId} stopped: ${message}`)
    this.abort?.abort()
    this.teardown()
    this.deps.onStateChange?.()
  }

  private teardown(): void {
    this.fetch?.close()
    this.releaseLock?.()
    this.releaseLock = null
    this.abort = null
    this.loop = null
    this.status.running = false
    this.status.connected = false
  }

  private loadOffsets(): void {
    const {state, note} = readOffsets(offsetFile(this.deps.stateDir, this.accountId), this.status.botId!)
    if (note) this.deps.log.info(note)
    this.offsets.committed = state?.committedUpdateId ?? null
    this.offsets.fetched = state?.fetchedUpdateId ?? null
    this.replayUpTo = this.offsets.fetched
    this.firstPoll = true
  }

  /**
   * telegram.md §4.4's replay window, without waiting for an offset write before each batch: every
   * update of the first batch after a start may have been handled before a crash (it is the batch
   * Telegram had not seen confirmed), so each is checked against its transcript (`maybeDone`). An
   * empty first poll means nothing was left unconfirmed.
   */
  private polled(updates: ReadonlyArray<{update_id: number}>): void {
    if (!this.firstPoll) return
    this.firstPoll = false
    const last = updates.at(-1)?.update_id
    if (last !== undefined) this.replayUpTo = Math.max(this.replayUpTo ?? 0, last)
  }

  /**
   * Writes the offsets in the background, at most once per OFFSET_WRITE_INTERVAL_MS (each write
   * takes the offsets of its moment). Any older file is safe (see `polled`): it only widens the
   * replay check and the restart offset Telegram corrects, so a write per batch buys nothing.
   */
  private persistSoon(): void {
    if (this.writeTimer !== null) return
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null
      this.writing = this.writing.then(() => {
        this.lastWriteAt = Date.now()
        return this.persistOffsets()
      }).catch((error: unknown) => this.deps.log.warn('could not write the telegram offset file (the next batch tries again)', {err: error}))
    }, Math.max(0, this.lastWriteAt + OFFSET_WRITE_INTERVAL_MS - Date.now()))
    this.writeTimer.unref()
  }

  private async persistOffsets(): Promise<void> {
    if (this.status.botId === null) return
    await writeOffsets(offsetFile(this.deps.stateDir, this.accountId), {botId: this.status.botId, committedUpdateId: this.offsets.committed, fetchedUpdateId: this.offsets.fetched}, new Date())
  }

  private async accept(bot: Bot, update: Update, parts: Update[]): Promise<void> {
    this.status.lastInboundAt = Date.now()
    if (this.offsets.committed !== null && update.update_id <= this.offsets.committed) return this.skipUpdate(update, 'already-processed')
    if (this.recent.has(update.update_id)) return this.skipUpdate(update, 'duplicate')
    if (parts.length > 0) this.albumParts.set(update.update_id, parts)
    try {
      await bot.handleUpdate(update)
    } finally {
      this.albumParts.delete(update.update_id)
    }
    for (const id of [update.update_id, ...parts.map((part) => part.update_id)]) {
      this.recent.add(id)
      if (this.recent.size > DUPLICATE_WINDOW) this.recent.delete(this.recent.values().next().value!)
    }
  }

  private async handleOne(update: Update, api: Api, me: UserFromGetMe): Promise<void> {
    await this.deps.handle({
      update, api, me, accountId: this.accountId,
      maybeDone: this.replayUpTo !== null && update.update_id <= this.replayUpTo,
      albumParts: this.albumParts.get(update.update_id) ?? [],
      skip: (reason, details) => this.skipUpdate(update, reason, details),
    })
  }

  private skipUpdate(update: Update, reason: string, details: Parameters<IncomingUpdate['skip']>[1] = {}): void {
    const message = update.message ?? update.edited_message ?? update.channel_post
    const chatId = details.chatId ?? (message ? String(message.chat.id) : null)
    const senderId = details.senderId ?? (message?.from ? String(message.from.id) : undefined)
    this.status.recordSkip(reason, chatId)
    const quiet = reason === 'duplicate' || reason === 'already-processed'
    const line = `skipped update ${update.update_id} from ${senderId ?? '-'} in ${chatId ?? '-'} (${reason})`
    const data = {reason, updateId: update.update_id, chatId, chatType: details.chatType ?? message?.chat.type, senderId, ...(details.threadId ? {threadId: details.threadId} : {})}
    if (quiet) this.deps.log.debug(line, {data})
    else this.deps.log.info(line, {data})
  }
}
