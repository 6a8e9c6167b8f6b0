/**
 * The channels part of `openclaw status` (operations.md §8): the gateway's live view when it
 * answered, else what the config says (config.md §7.6).
 */
import type {Config} from '../config/schema/index.js'
import {envValue, type Env} from '../paths.js'

export interface ChannelStatus {
  channel: string
  accountId: string
  /** Null when only the gateway knows the account. */
  enabled: boolean | null
  configured: boolean
  /** Null when the gateway was not asked (config-only). */
  running: boolean | null
  connected: boolean | null
  lastError: string | null
}

interface TelegramAccountKeys {
  enabled?: boolean
  botToken?: string
  tokenFile?: string
}

/**
 * Telegram accounts from the config: `default` when top-level `botToken`/`tokenFile` is set or no
 * `accounts` exist (it then uses TELEGRAM_BOT_TOKEN), plus each `accounts.<id>`, inheriting the
 * top-level keys it does not set.
 */
export function configuredChannels(config: Readonly<Config> | null, env: Env): ChannelStatus[] {
  const telegram = config?.channels.telegram
  if (telegram === undefined) return []
  const accounts = (telegram.accounts ?? {}) as Record<string, TelegramAccountKeys>
  const ids = Object.keys(accounts)
  const topHasToken = telegram.botToken !== undefined || telegram.tokenFile !== undefined
  if ((topHasToken || ids.length === 0) && !ids.includes('default')) ids.unshift('default')
  return ids.map((accountId) => {
    const account = accounts[accountId] ?? {}
    const hasToken = account.botToken !== undefined || account.tokenFile !== undefined || topHasToken
    return {
      channel: 'telegram',
      accountId,
      enabled: telegram.enabled !== false && account.enabled !== false,
      configured: hasToken || (accountId === 'default' && envValue(env, 'TELEGRAM_BOT_TOKEN') !== undefined),
      running: null,
      connected: null,
      lastError: null,
    }
  })
}

interface SnapshotChannels {
  channels?: Record<string, {configured?: unknown; accounts?: Record<string, {running?: unknown; connected?: unknown; lastError?: unknown}>}>
  channelOrder?: unknown
}

/** Rows from a HealthSnapshot (protocol §6.2), `enabled` taken from the config rows when known. */
export function gatewayChannels(snapshot: SnapshotChannels, fromConfig: readonly ChannelStatus[]): ChannelStatus[] {
  const channels = snapshot.channels ?? {}
  const order = Array.isArray(snapshot.channelOrder) ? snapshot.channelOrder.filter((c): c is string => typeof c === 'string') : Object.keys(channels)
  const rows: ChannelStatus[] = []
  for (const channel of order) {
    const entry = channels[channel]
    if (entry === undefined) continue
    for (const [accountId, account] of Object.entries(entry.accounts ?? {})) {
      const known = fromConfig.find((row) => row.channel === channel && row.accountId === accountId)
      rows.push({
        channel,
        accountId,
        enabled: known?.enabled ?? null,
        configured: entry.configured === true,
        running: account.running === true,
        connected: typeof account.connected === 'boolean' ? account.connected : null,
        lastError: typeof account.lastError === 'string' ? account.lastError : null,
      })
    }
  }
  return rows
}
