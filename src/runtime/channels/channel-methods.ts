/**
 * The channel RPCs the telegram subsystem contributes (protocol.md §6, §8): `send` (outbound
 * through an explicit account, deduped by idempotencyKey), `channels.status` and `channels.start/stop`. The channel is
 * read through a getter because a config reload replaces it.
 */
import {z} from 'zod'

import {IdempotencyMap} from '../agents/run/idempotency.js'
import {AppError} from '../errors/app-error.js'
import {defineMethod} from '../gateway/server/registry.js'
import type {MethodGroup} from '../gateway/lifecycle/subsystem.js'
import type {ChannelAdapter} from './adapter.js'

const SendParams = z.strictObject({
  to: z.string().min(1),
  message: z.string().min(1),
  channel: z.literal('telegram').optional(),
  accountId: z.string().min(1).optional(),
  threadId: z.string().min(1).optional(),
  replyToId: z.string().min(1).optional(),
  silent: z.boolean().optional(),
  idempotencyKey: z.string().min(1).max(256),
})

export interface SendResponse {
  runId: string
  channel: string
  accountId: string
  chatId: string
  messageId: string | null
  messageIds: string[]
}

function notConfigured(): AppError {
  return new AppError('CHANNEL_ACCOUNT_NOT_FOUND', 'no telegram account is configured on this gateway', {hint: ['openclaw channels add --channel telegram --token <token>']})
}

export function channelMethods(current: () => ChannelAdapter | undefined): MethodGroup {
  // A repeat while the original is in flight waits for it (protocol.md §8), so the promise is the entry's info.
  const keys = new IdempotencyMap<Promise<SendResponse>>()
  return [
    defineMethod({
      name: 'send',
      scope: 'operator.write',
      params: SendParams,
      async handler(params) {
        const key = `send:${params.idempotencyKey}`
        const seen = keys.get(key)
        if (seen?.state === 'in_flight') return seen.info
        if (seen?.state === 'done') {
          if (seen.ok) return seen.value
          throw seen.value
        }
        const channel = current()
        if (channel === undefined) throw notConfigured()
        const sending = channel.send({
          target: {chatId: params.to, ...(params.accountId ? {accountId: params.accountId} : {}), ...(params.threadId ? {threadId: params.threadId} : {}), ...(params.replyToId ? {replyToMessageId: params.replyToId} : {})},
          text: params.message,
        }).then((r): SendResponse => ({runId: params.idempotencyKey, channel: r.channel, accountId: r.accountId, chatId: r.chatId, messageId: r.messageIds[0] ?? null, messageIds: r.messageIds}))
        keys.begin(key, sending)
        try {
          const response = await sending
          keys.finish(key, true, response)
          return response
        } catch (error) {
          keys.finish(key, false, error)
          throw error
        }
      },
    }),
    defineMethod({
      name: 'channels.status',
      scope: 'operator.read',
      params: z.object({channel: z.literal('telegram').optional(), probe: z.boolean().optional(), timeoutMs: z.number().int().positive().optional()}),
      async handler(params) {
        const accounts = (await current()?.status({probe: params.probe === true, timeoutMs: params.timeoutMs ?? 5000})) ?? []
        const defaultAccount = accounts.find((a) => (a as {default?: boolean}).default === true)?.accountId ?? accounts[0]?.accountId ?? null
        return {
          ts: Date.now(), channelOrder: ['telegram'], channelLabels: {telegram: 'Telegram'},
          channels: {telegram: {configured: accounts.length > 0}},
          channelAccounts: {telegram: accounts}, channelDefaultAccountId: {telegram: defaultAccount},
        }
      },
    }),
    ...(['start', 'stop'] as const).map((verb) => defineMethod({
      name: `channels.${verb}`,
      scope: 'operator.admin',
      params: z.object({channel: z.literal('telegram'), accountId: z.string().min(1).optional()}),
      async handler(params) {
        const channel = current()
        if (channel === undefined) throw notConfigured()
        await channel[verb](params.accountId)
        const accounts = await channel.status()
        const running = params.accountId === undefined ? accounts.some((a) => a.running) : accounts.find((a) => a.accountId === params.accountId)?.running ?? false
        return {ok: true, channel: 'telegram', accountId: params.accountId ?? null, running}
      },
    })),
  ]
}
