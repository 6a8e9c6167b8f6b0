/**
 * WS→L commands of the channel CLI (operations.md §1.2: `message send`, `channels status`): ask the
 * running gateway first; only when nothing listens at the implicit loopback target and no live
 * gateway holds this state dir, do the work locally. An explicit target (`--url`, env, remote
 * mode) never falls back: the user asked for that gateway.
 */
import {randomUUID} from 'node:crypto'

import {AppError, isAppError} from '../errors/app-error.js'
import {ERROR_CODES, type ErrorCode} from '../errors/codes.js'
import type {ClientInfo} from '../gateway/client/client.js'
import {setupGatewayClient} from '../gateway/client/config.js'
import type {GatewayTargetFlags} from '../gateway/client/target.js'
import type {ResolvedPaths} from '../paths.js'
import {readLiveGatewayLock} from '../state/gateway-lock-info.js'
import type {AccountSnapshot} from './adapter.js'
import type {SendResponse} from './channel-methods.js'
import {loadValidConfig, localChannelsStatus, type ChannelsContext} from './manage-channels.js'

export interface ClientContext extends ChannelsContext {
  paths: ResolvedPaths
  flags: GatewayTargetFlags
  timeoutMs: number
  clientInfo: ClientInfo
}

type Via = 'gateway' | 'local'

export async function gatewayOrLocal<T>(ctx: ClientContext, method: string, params: Record<string, unknown>, local: () => Promise<T>): Promise<{via: Via; value: T; warnings: string[]}> {
  const setup = setupGatewayClient({paths: ctx.paths, env: ctx.env, flags: ctx.flags})
  const {callGateway, isConnectionRefused} = await import('../gateway/client/client.js')
  try {
    const {payload} = await callGateway<T>({...setup.target, method, params, timeoutMs: ctx.timeoutMs, clientInfo: ctx.clientInfo})
    return {via: 'gateway', value: payload, warnings: setup.warnings}
  } catch (error) {
    const nobodyThere = isAppError(error) && isConnectionRefused(error) && !setup.target.explicit && readLiveGatewayLock(ctx.paths) === null
    if (!nobodyThere) throw unwrapRemote(error)
    return {via: 'local', value: await local(), warnings: setup.warnings}
  }
}

/** Our own gateway answered with one of our AppErrors (code + hint in details): show that, not a generic request failure. */
function unwrapRemote(error: unknown): unknown {
  if (!isAppError(error) || error.code !== 'GATEWAY_REQUEST_FAILED') return error
  const inner = (error.details as {details?: {code?: unknown; hint?: unknown}}).details
  if (typeof inner?.code !== 'string' || !(inner.code in ERROR_CODES)) return error
  const hint = Array.isArray(inner.hint) ? inner.hint.filter((h): h is string => typeof h === 'string') : []
  return new AppError(inner.code as ErrorCode, error.message, {hint, details: error.details})
}

export interface MessageSendInput {
  accountId?: string
  to: string
  message: string
  threadId?: string
  replyToId?: string
}

/** `message send`: the gateway's `send` RPC with a fresh idempotency key, else the Bot API directly (no poller needed). */
export async function sendChannelMessage(ctx: ClientContext, input: MessageSendInput) {
  const idempotencyKey = randomUUID()
  const params = {channel: 'telegram', to: input.to, message: input.message, idempotencyKey, ...(input.accountId ? {accountId: input.accountId} : {}), ...(input.threadId ? {threadId: input.threadId} : {}), ...(input.replyToId ? {replyToId: input.replyToId} : {})}
  const sent = await gatewayOrLocal<Pick<SendResponse, 'channel' | 'accountId' | 'chatId' | 'messageIds'>>(ctx, 'send', params, async () => {
    const {TelegramChannel} = await import('./telegram/telegram-channel.js')
    const channel = new TelegramChannel({
      config: loadValidConfig(ctx), env: ctx.env, paths: ctx.paths,
      runtime: {dispatchInbound: async () => { throw new Error('not running') }, isCommitted: async () => false},
      logFor: () => ({debug() {}, info() {}, warn() {}, error() {}}),
    })
    return channel.send({target: {chatId: input.to, ...(input.accountId ? {accountId: input.accountId} : {}), ...(input.threadId ? {threadId: input.threadId} : {}), ...(input.replyToId ? {replyToMessageId: input.replyToId} : {})}, text: input.message})
  })
  const {channel, accountId, chatId, messageIds} = sent.value
  return {result: {channel, accountId, to: chatId, messageIds, origin: sent.via}, warnings: sent.warnings}
}

/** `channels status`: the gateway's runtime view (`channels.status`), else config alone (+ getMe with probe). */
export async function channelsStatus(ctx: ClientContext, options: {probe: boolean}): Promise<{result: {source: Via; channels: AccountSnapshot[]}; warnings: string[]}> {
  const got = await gatewayOrLocal<{channelAccounts?: {telegram?: AccountSnapshot[]}} | {source: 'local'; channels: AccountSnapshot[]}>(ctx, 'channels.status', {probe: options.probe, timeoutMs: ctx.timeoutMs}, () => localChannelsStatus(ctx, {probe: options.probe, timeoutMs: ctx.timeoutMs}))
  const channels = 'channels' in got.value && Array.isArray(got.value.channels) ? got.value.channels : ((got.value as {channelAccounts?: {telegram?: AccountSnapshot[]}}).channelAccounts?.telegram ?? [])
  return {result: {source: got.via, channels}, warnings: got.warnings}
}
