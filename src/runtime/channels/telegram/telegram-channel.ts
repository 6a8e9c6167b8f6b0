import {Api} from 'grammy'

import {AppError} from '../../errors/app-error.js'
import type {Config} from '../../config/schema/index.js'
import type {AccountSnapshot, ChannelAdapter, ChannelSendRequest, ChannelSendResult, ChannelStatusOptions} from '../adapter.js'
import {TelegramAccountRunner, type AccountTiming} from './account-runner.js'
import {resolveTelegramAccounts, type TelegramAccount} from './accounts.js'
import {classifyTelegramFailure} from './classify-error.js'
import {toTelegramFailure} from './to-failure.js'
import {createBotFetch, type ApiClientFetch} from './bot-fetch.js'
import type {TelegramLog} from './account-status.js'
import {GroupHistory} from './inbound/group-history.js'
import {handleUpdate} from './inbound/handle-update.js'
import {sendReply} from './outbound/deliver.js'
import {DeliverySession} from './outbound/delivery-session.js'
import {PairingStore} from './pairing-store.js'
import {readTokenFile} from './token-file.js'
import {WebhookListeners} from './webhook-server.js'
import type {ChannelRuntime} from './runtime-seam.js'
import {throttleTransformer} from './outbound/throttle.js'
import {RateLimiter, scaleLimits, TELEGRAM_LIMITS, type RateLimits} from './outbound/rate-limiter.js'
import {envValue, type Env} from '../../paths.js'

export const BUILTIN_COMMANDS = [
  {command: 'new', description: 'Start a new conversation'},
  {command: 'reset', description: 'Reset the conversation'},
  {command: 'status', description: 'Show model, session and usage'},
  {command: 'help', description: 'List the commands'},
  {command: 'stop', description: 'Stop the running reply'},
  {command: 'model', description: 'Show or switch the model'},
]

export interface TelegramChannelOptions {
  config: Readonly<Config>
  env: Env
  paths: {home: string; stateDir: string}
  runtime: ChannelRuntime
  logFor(accountId: string): TelegramLog
  machineDir?: string
  timing?: Partial<AccountTiming>
  onDelivery?(session: DeliverySession): void
  /** An account stopped on its own (e.g. its token was rejected) or finished a (re)start. */
  onAccountChange?(): void
}

/** The Telegram channel adapter: every configured account, each with its own runner. */
export class TelegramChannel implements ChannelAdapter {
  readonly channel = 'telegram'
  readonly pairing: PairingStore
  private accounts: TelegramAccount[]
  private config: Readonly<Config>
  private readonly runners = new Map<string, TelegramAccountRunner>()
  private readonly errorReplies = new Map<string, number>()
  private readonly sent = new Map<string, {at: number; result: ChannelSendResult}>()
  /** §7.4 group history of every account (keys start with the account id). */
  private readonly history = new GroupHistory()
  private readonly webhooks = new WebhookListeners()

  constructor(private readonly options: TelegramChannelOptions) {
    this.pairing = new PairingStore(options.paths.stateDir)
    this.config = options.config
    this.accounts = resolveTelegramAccounts(options.config, options.env, options.paths, readTokenFile)
  }

  /**
   * A hot config change (telegram.md §3): only accounts whose effective settings, token or
   * channel-wide inputs changed are stopped (gracefully) and started again; removed accounts stop,
   * new ones start, the rest keep polling untouched. Every stop finishes before any start, so a
   * token that moves between accounts is never polled twice.
   */
  async reconfigure(next: Readonly<Config>): Promise<ReconfigureReport> {
    const before = new Map(this.accounts.map((account) => [account.accountId, accountFingerprint(account, this.config)]))
    const accounts = resolveTelegramAccounts(next, this.options.env, this.options.paths, readTokenFile)
    const after = new Map(accounts.map((account) => [account.accountId, accountFingerprint(account, next)]))
    const report: ReconfigureReport = {started: [], stopped: [], restarted: [], unchanged: []}
    for (const [id, print] of before) {
      if (!after.has(id)) report.stopped.push(id)
      else if (after.get(id) !== print) report.restarted.push(id)
      else report.unchanged.push(id)
    }
    for (const id of after.keys()) if (!before.has(id)) report.started.push(id)
    await Promise.all([...report.stopped, ...report.restarted].map(async (id) => {
      await this.runners.get(id)?.stop()
      this.runners.delete(id)
    }))
    this.config = next
    this.accounts = accounts
    await Promise.all([...report.restarted, ...report.started].map((id) => this.runnerFor(accounts.find((a) => a.accountId === id)!).start()))
    return report
  }

  accountIds(): string[] {
    return this.accounts.map((a) => a.accountId)
  }

  async start(accountId?: string): Promise<void> {
    await Promise.all(this.pick(accountId).map((account) => this.runnerFor(account).start()))
  }

  async stop(accountId?: string): Promise<void> {
    await Promise.all(this.pick(accountId).map(async (account) => {
      await this.runners.get(account.accountId)?.stop()
      this.runners.delete(account.accountId)
    }))
  }

  async send(request: ChannelSendRequest): Promise<ChannelSendResult> {
    const key = request.idempotencyKey
    const cached = key === undefined ? undefined : this.sent.get(key)
    if (cached && Date.now() - cached.at < 10 * 60_000) return cached.result
    const account = this.pick(request.target.accountId ?? this.accounts.find((a) => a.isDefault)?.accountId)[0]
    if (account === undefined) throw new AppError('CHANNEL_ACCOUNT_NOT_FOUND', 'no telegram account is configured', {hint: ['openclaw channels add --channel telegram --token <token>']})
    const runner = this.runners.get(account.accountId)
    const api = runner?.bot?.api ?? this.directApi(account)
    const log = this.options.logFor(account.accountId)
    const ids = await sendReply(api, {
      chatId: request.target.chatId,
      ...(request.target.threadId ? {threadId: request.target.threadId} : {}),
      ...(request.target.replyToMessageId ? {replyToMessageId: Number(request.target.replyToMessageId)} : {}),
    }, request.text, {...account.settings, replyToMode: request.target.replyToMessageId ? 'first' : 'off'}, (m) => log.warn(m))
    if (runner) runner.status.lastOutboundAt = Date.now()
    const result = {channel: 'telegram', accountId: account.accountId, chatId: request.target.chatId, messageIds: ids.map(String)}
    if (key !== undefined) this.sent.set(key, {at: Date.now(), result})
    return result
  }

  /**
   * A delivery record for a reply to a message the transcript remembers (restart replay): the
   * account it came in on, its chat and forum topic, threaded to its last message, and continuing
   * the preview message a crash left (`resume`), so the final edits it. Undefined when that account
   * is gone or has no usable token.
   */
  deliveryFor(origin: {accountId?: string; peer?: {kind: string; id: string}; messageIds?: string[]}, resume?: {previewMessageId: string}): DeliverySession | undefined {
    const account = this.accounts.find((a) => a.accountId === (origin.accountId ?? this.accounts.find((d) => d.isDefault)?.accountId))
    if (account === undefined || origin.peer === undefined || account.token === null) return undefined
    const [chatId, , threadId] = origin.peer.id.split(':')
    const runner = this.runners.get(account.accountId)
    const log = this.options.logFor(account.accountId)
    const replyTo = Number(origin.messageIds?.at(-1))
    const previewId = Number(resume?.previewMessageId)
    return new DeliverySession(runner?.bot?.api ?? this.directApi(account), {chatId, ...(threadId ? {threadId} : {}), ...(Number.isInteger(replyTo) ? {replyToMessageId: replyTo} : {})}, account.settings, {
      log, streaming: account.settings.streaming, ...(Number.isInteger(previewId) && previewId > 0 ? {resumePreviewId: previewId} : {}),
      onSent: () => void (runner === undefined ? undefined : (runner.status.lastOutboundAt = Date.now())),
      mayReplyError: (chat) => this.mayReplyError(account.accountId, chat),
    })
  }

  async status(options: ChannelStatusOptions = {}): Promise<AccountSnapshot[]> {
    return Promise.all(this.accounts.map(async (account) => {
      const runner = this.runners.get(account.accountId)
      const base = {
        channel: 'telegram', accountId: account.accountId, name: account.settings.name ?? null, enabled: account.enabled,
        configured: account.token !== null || account.tokenSource !== 'none', tokenSource: account.tokenSource,
        mode: account.settings.webhookUrl ? 'webhook' as const : 'polling' as const, webhookUrl: account.settings.webhookUrl ?? null,
        pendingPairings: this.pairing.list(account.accountId).length,
      }
      const snapshot = runner ? runner.snapshot(base) : idleSnapshot(base, account)
      if (options.probe) snapshot.probe = await probeAccount(account, options.timeoutMs ?? 5000)
      return snapshot
    }))
  }

  private pick(accountId?: string): TelegramAccount[] {
    if (accountId === undefined) return this.accounts
    const account = this.accounts.find((a) => a.accountId === accountId)
    if (!account) throw new AppError('CHANNEL_ACCOUNT_NOT_FOUND', `no telegram account "${accountId}"`, {hint: ['openclaw channels list']})
    return [account]
  }

  private directApi(account: TelegramAccount): Api {
    if (account.token === null) throw new AppError(account.startError?.code ?? 'TELEGRAM_TOKEN_INVALID', account.startError?.message ?? `telegram account "${account.accountId}" has no bot token`, {hint: ['openclaw channels add --channel telegram --token <token>']})
    const api = new Api(account.token, {apiRoot: account.settings.apiRoot, fetch: createBotFetch() as unknown as ApiClientFetch})
    api.config.use(throttleTransformer(new RateLimiter(this.limits())))
    return api
  }

  private runnerFor(account: TelegramAccount): TelegramAccountRunner {
    let runner = this.runners.get(account.accountId)
    if (runner) return runner
    const log = this.options.logFor(account.accountId)
    for (const warning of account.warnings) log.warn(warning)
    const config = this.config as Config & {messages?: {groupChat?: {mentionPatterns?: string[]}}; commands?: {allowFrom?: {telegram?: Array<string | number>}}}
    const patterns = (config.messages?.groupChat?.mentionPatterns ?? []).map((source) => new RegExp(source, 'iu'))
    const commandAllowFrom = config.commands?.allowFrom?.telegram
    const custom = (account.settings.customCommands ?? []).map((c) => ({command: c.command.replace(/^\//, ''), description: c.description}))
    runner = new TelegramAccountRunner({
      account,
      stateDir: this.options.paths.stateDir,
      ...(this.options.machineDir ? {machineDir: this.options.machineDir} : {}),
      log,
      commands: [...BUILTIN_COMMANDS, ...custom].slice(0, 100),
      limits: this.limits(),
      webhooks: this.webhooks,
      ...(this.options.onAccountChange ? {onStateChange: this.options.onAccountChange} : {}),
      ...(this.options.timing ? {timing: this.options.timing} : {}),
      handle: (incoming) => handleUpdate(incoming, {
        account, runtime: this.options.runtime, pairing: this.pairing, log, mentionPatterns: patterns, history: this.history,
        ...(commandAllowFrom ? {commandAllowFrom} : {}),
        ...(this.options.onDelivery ? {onDelivery: this.options.onDelivery} : {}),
        hooks: {log, onSent: () => void (runner!.status.lastOutboundAt = Date.now()), mayReplyError: (chatId) => this.mayReplyError(account.accountId, chatId)},
      }),
    })
    this.runners.set(account.accountId, runner)
    return runner
  }

  /** §10.6 limits; a benchmark against a fake Bot API may scale them (`OPENCLAW_BENCH_TELEGRAM_RATE_SCALE`). */
  private limits(): RateLimits {
    const factor = Number(envValue(this.options.env, 'OPENCLAW_BENCH_TELEGRAM_RATE_SCALE') ?? 1)
    return Number.isFinite(factor) && factor > 0 && factor !== 1 ? scaleLimits(TELEGRAM_LIMITS, factor) : TELEGRAM_LIMITS
  }

  private mayReplyError(accountId: string, chatId: string): boolean {
    const key = `${accountId}:${chatId}`
    const last = this.errorReplies.get(key) ?? 0
    if (Date.now() - last < 60_000) return false
    this.errorReplies.set(key, Date.now())
    return true
  }
}

/** What a hot reload compares per account (see `reconfigure`). */
export interface ReconfigureReport {started: string[]; stopped: string[]; restarted: string[]; unchanged: string[]}

/** Everything an account runner is built from: its account and the channel-wide keys it reads. */
function accountFingerprint(account: TelegramAccount, config: Readonly<Config>): string {
  const wide = config as Config & {messages?: {groupChat?: {mentionPatterns?: unknown}}; commands?: {allowFrom?: {telegram?: unknown}}}
  return JSON.stringify({account, patterns: wide.messages?.groupChat?.mentionPatterns ?? null, commandAllowFrom: wide.commands?.allowFrom?.telegram ?? null})
}

function idleSnapshot(base: Pick<AccountSnapshot, 'channel' | 'accountId' | 'name' | 'enabled' | 'configured' | 'tokenSource' | 'mode' | 'webhookUrl' | 'pendingPairings'>, account: TelegramAccount): AccountSnapshot {
  return {
    ...base, running: false, connected: false, botId: account.botId, botUsername: null, privacyMode: null,
    lastStartAt: null, lastPollAt: null, lastInboundAt: null, lastOutboundAt: null,
    lastError: account.startError?.message ?? null, lastErrorCode: account.startError?.code ?? null, lastErrorAt: null,
    pollingConflict: false, lockHolder: null, pendingUpdateCount: null, skipped: {}, lastSkip: null,
  }
}

async function probeAccount(account: TelegramAccount, timeoutMs: number): Promise<NonNullable<AccountSnapshot['probe']>> {
  const started = Date.now()
  if (account.token === null) return {ok: false, error: account.startError?.message ?? 'no bot token', elapsedMs: 0}
  try {
    const me = await new Api(account.token, {apiRoot: account.settings.apiRoot}).getMe(AbortSignal.timeout(timeoutMs) as unknown as Parameters<Api['getMe']>[0])
    return {ok: true, botUsername: me.username, elapsedMs: Date.now() - started}
  } catch (error) {
    return {ok: false, error: classifyTelegramFailure(toTelegramFailure(error, 'getMe')).message, elapsedMs: Date.now() - started}
  }
}
