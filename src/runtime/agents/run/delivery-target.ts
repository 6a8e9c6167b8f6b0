/**
 * Channel targets of `agent --to/--channel/--account/--deliver` (protocol.md §6.5, telegram.md
 * §10.1), pure: a target string becomes the peer an inbound message from that chat would carry (so
 * routing and dmScope derive the same session key), and a session without an explicit target
 * yields the one it last talked to (`lastChannel/lastTo`, else the chat its key names).
 */
import type {Config} from '../../config/schema/index.js'
import {normalizeAccountId, normalizeChannel} from '../../routing/normalize.js'

/** Channels this build can deliver to. */
export const DELIVERY_CHANNELS = ['telegram'] as const

export interface TargetInput {
  to: string
  channel?: string
  accountId?: string
  threadId?: string
}

export interface ChannelTarget {
  channel: string
  /** The channel account (telegram.md §2 ids); the channel's default when none was given. */
  accountId: string
  /** The chat as the platform names it (Telegram chat id or `@channelname`). */
  chatId: string
  threadId?: string
  /** The conversation as an inbound envelope would name it (a forum topic is `<chat>:topic:<n>`). */
  peer: {kind: 'direct' | 'group' | 'channel'; id: string}
  parentPeer?: {kind: 'group'; id: string}
}

export type TargetResult = {ok: true; target: ChannelTarget} | {ok: false; reason: string}

type TelegramView = {accounts?: Record<string, unknown>; defaultAccount?: string; botToken?: unknown; tokenFile?: unknown}

/**
 * The Telegram account ids and the default one, by the rule of telegram.md §2 (the accounts map,
 * plus `default` for top-level token settings or an empty map); undefined without a telegram block.
 */
export function telegramAccountIds(config: Pick<Config, 'channels'>): {ids: string[]; defaultId: string} | undefined {
  const telegram = config.channels.telegram as TelegramView | undefined
  if (telegram === undefined) return undefined
  const ids = Object.keys(telegram.accounts ?? {})
  const topHasToken = telegram.botToken !== undefined || telegram.tokenFile !== undefined
  if ((topHasToken || ids.length === 0) && !ids.includes('default')) ids.unshift('default')
  return {ids, defaultId: telegram.defaultAccount ?? (ids.includes('default') ? 'default' : ids[0])}
}

const CHAT = /^(?:(direct|dm|group|channel):)?(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})(?::topic:(\d+))?$/

/** Resolves a target against the configured channels; `reason` says what is wrong and is shown to the user. */
export function resolveChannelTarget(config: Pick<Config, 'channels'>, input: TargetInput): TargetResult {
  const configured = DELIVERY_CHANNELS.filter((channel) => channel !== 'telegram' || config.channels.telegram !== undefined)
  let to = input.to.trim()
  let channel = input.channel === undefined ? undefined : normalizeChannel(input.channel)
  // `telegram:123` names its channel in the target (OpenClaw's form).
  const prefixed = /^([a-z]+):(.+)$/i.exec(to)
  if (prefixed !== null && (DELIVERY_CHANNELS as readonly string[]).includes(prefixed[1].toLowerCase())) {
    if (channel !== undefined && channel !== prefixed[1].toLowerCase()) return {ok: false, reason: `target "${input.to}" names channel ${prefixed[1]}, but --channel is ${channel}`}
    channel = prefixed[1].toLowerCase()
    to = prefixed[2]
  }
  if (channel === undefined) {
    if (configured.length !== 1) return {ok: false, reason: configured.length === 0 ? 'no channel is configured to deliver to' : 'more than one channel is configured: name one with --channel'}
    channel = configured[0]
  }
  if (!(DELIVERY_CHANNELS as readonly string[]).includes(channel)) return {ok: false, reason: `unknown channel "${channel}" (channels: ${DELIVERY_CHANNELS.join(', ')})`}
  const accounts = telegramAccountIds(config)
  if (accounts === undefined) return {ok: false, reason: `channel ${channel} is not configured`}
  const accountId = input.accountId === undefined || input.accountId.trim() === '' ? accounts.defaultId : normalizeAccountId(input.accountId)
  if (!accounts.ids.includes(accountId)) return {ok: false, reason: `no ${channel} account "${accountId}" (accounts: ${accounts.ids.join(', ')})`}
  const match = CHAT.exec(to)
  if (match === null) return {ok: false, reason: `"${input.to}" is not a ${channel} chat id (a number such as 812345678 or -1001234567890, or @channelname)`}
  const [, kindWord, chatId, topic] = match
  const threadId = input.threadId?.trim() || topic
  const kind = kindWord === undefined ? (chatId.startsWith('-') ? 'group' : chatId.startsWith('@') ? 'channel' : 'direct') : kindWord === 'dm' ? 'direct' : (kindWord as 'direct' | 'group' | 'channel')
  const target: ChannelTarget = {channel, accountId, chatId, ...(threadId ? {threadId} : {}), peer: {kind, id: chatId}}
  // A forum topic is its own conversation, inheriting its chat's bindings (runtime.md §2, §3.3).
  if (kind === 'group' && threadId) return {ok: true, target: {...target, peer: {kind, id: `${chatId}:topic:${threadId}`}, parentPeer: {kind: 'group', id: chatId}}}
  return {ok: true, target}
}

/** The chat a session key names (`agent:a:telegram:direct:42`, `…:telegram:work:direct:42`, `…:group:-100:topic:5`). */
export function targetOfSessionKey(sessionKey: string): TargetInput | undefined {
  const match = /^agent:[^:]+:([a-z]+):(?:([^:]+):)?(direct|group|channel):([^:]+)(?::topic:(\d+))?$/.exec(sessionKey)
  if (match === null || !(DELIVERY_CHANNELS as readonly string[]).includes(match[1])) return undefined
  const [, channel, accountId, kind, id, topic] = match
  return {channel, to: `${kind}:${id}`, ...(accountId === undefined ? {} : {accountId}), ...(topic === undefined ? {} : {threadId: topic})}
}

/** The last route a session entry recorded (`lastChannel/lastTo/lastAccountId/lastThreadId`). */
export function targetOfEntry(entry: {lastChannel?: string; lastTo?: string; lastAccountId?: string; lastThreadId?: string} | undefined): TargetInput | undefined {
  if (entry?.lastTo === undefined || entry.lastTo === '') return undefined
  return {to: entry.lastTo, ...(entry.lastChannel ? {channel: entry.lastChannel} : {}), ...(entry.lastAccountId ? {accountId: entry.lastAccountId} : {}), ...(entry.lastThreadId ? {threadId: entry.lastThreadId} : {})}
}
