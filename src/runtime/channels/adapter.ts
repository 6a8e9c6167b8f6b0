/**
 * The channel adapter seam (ARCHITECTURE.md, telegram.md §1): what the gateway and the CLI need
 * from a chat platform. Platform library types never cross it; failures are AppErrors.
 */

/** Where an outbound message goes. `accountId` unset = the channel's default account. */
export interface ChannelTarget {
  accountId?: string
  chatId: string
  threadId?: string
  replyToMessageId?: string
}

export interface ChannelSendRequest {
  target: ChannelTarget
  /** Markdown as the model writes it; the adapter renders and chunks it. */
  text: string
  /** Same key within 10 minutes = the first result, nothing sent again. */
  idempotencyKey?: string
}

export interface ChannelSendResult {
  channel: string
  accountId: string
  chatId: string
  messageIds: string[]
}

/** One account's runtime state (telegram.md §11; protocol.md AccountSnapshot). */
export interface AccountSnapshot {
  channel: string
  accountId: string
  name: string | null
  enabled: boolean
  configured: boolean
  tokenSource: 'config' | 'file' | 'env' | 'none'
  running: boolean
  connected: boolean
  mode: 'polling' | 'webhook'
  botId: string | null
  botUsername: string | null
  privacyMode: boolean | null
  lastStartAt: number | null
  lastPollAt: number | null
  lastInboundAt: number | null
  lastOutboundAt: number | null
  lastError: string | null
  lastErrorCode: string | null
  lastErrorAt: number | null
  pollingConflict: boolean
  lockHolder: {pid: number; hostname: string} | null
  webhookUrl: string | null
  pendingUpdateCount: number | null
  pendingPairings: number
  skipped: Record<string, number>
  lastSkip: {reason: string; at: number; chatId: string | null} | null
  probe?: {ok: boolean; botUsername?: string; error?: string; elapsedMs: number}
}

export interface ChannelStatusOptions {
  /** Also call the platform (Telegram getMe) per account within `timeoutMs`. */
  probe?: boolean
  timeoutMs?: number
}

export interface ChannelAdapter {
  readonly channel: string
  /** Starts every enabled account, or one. Account failures land in status, they do not throw. */
  start(accountId?: string): Promise<void>
  /** Graceful stop of every account, or one. */
  stop(accountId?: string): Promise<void>
  send(request: ChannelSendRequest): Promise<ChannelSendResult>
  status(options?: ChannelStatusOptions): Promise<AccountSnapshot[]>
}

export interface ChannelRegistry {
  register(adapter: ChannelAdapter): void
  get(channel: string): ChannelAdapter | undefined
  list(): ChannelAdapter[]
}

/** A registry of adapters by channel name; a second adapter for one channel is a bug. */
export function createChannelRegistry(): ChannelRegistry {
  const adapters = new Map<string, ChannelAdapter>()
  return {
    register(adapter) {
      if (adapters.has(adapter.channel)) throw new Error(`channel adapter "${adapter.channel}" registered twice`)
      adapters.set(adapter.channel, adapter)
    },
    get: (channel) => adapters.get(channel.trim().toLowerCase()),
    list: () => [...adapters.values()],
  }
}
