/**
 * `channels.pairing.list` and `channels.pairing.approve` (protocol.md §6 table, telegram.md §6.4):
 * the gateway's side of `openclaw pairing`, on the same store and approval step as the CLI
 * (pairing-ops.ts), so the files, locks and messages are the same whichever path approved a code.
 * With `notify`, the notice leaves through the running account the request came in on.
 */
import {z} from 'zod'

import {AppError, isAppError} from '../errors/app-error.js'
import {defineMethod} from '../gateway/server/registry.js'
import type {MethodGroup} from '../gateway/lifecycle/subsystem.js'
import type {ChannelAdapter} from './adapter.js'
import {APPROVED_NOTICE, approveWithNotice, checkChannel} from './pairing-ops.js'
import {PairingStore} from './telegram/pairing-store.js'

export interface PairingMethodsDeps {
  stateDir(): string
  /** The running channel (its store and its accounts); undefined without a channels.telegram block. */
  channel(): (ChannelAdapter & {pairing: PairingStore}) | undefined
}

export function pairingMethods(deps: PairingMethodsDeps): MethodGroup {
  const store = () => deps.channel()?.pairing ?? new PairingStore(deps.stateDir())
  return [
    defineMethod({
      name: 'channels.pairing.list',
      scope: 'operator.pairing',
      params: z.object({channel: z.string().min(1), accountId: z.string().min(1).optional()}),
      handler(params) {
        checkChannel(params.channel)
        const requests = store().list(params.accountId).map((r) => ({code: r.code, id: r.id, accountId: r.accountId, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, meta: r.meta}))
        return {channel: 'telegram', requests}
      },
    }),
    defineMethod({
      name: 'channels.pairing.approve',
      scope: 'operator.pairing',
      params: z.strictObject({channel: z.string().min(1), code: z.string().min(1), accountId: z.string().min(1).optional(), notify: z.boolean().optional()}),
      async handler(params) {
        checkChannel(params.channel)
        const channel = deps.channel()
        const notice = params.notify === true
          ? async (request: {id: string; accountId: string}) => {
            if (channel === undefined) throw new Error('no telegram account runs on this gateway')
            await channel.send({target: {chatId: request.id, accountId: request.accountId}, text: APPROVED_NOTICE})
          }
          : null
        try {
          const {request, notified, warnings} = await approveWithNotice(store(), {code: params.code, ...(params.accountId ? {accountId: params.accountId} : {})}, notice)
          return {ok: true, channel: 'telegram', id: request.id, accountId: request.accountId, meta: request.meta, notified, ...(warnings.length > 0 ? {warnings} : {})}
        } catch (error) {
          // protocol.md's wording for the RPC; the CLI's longer sentence stays with the CLI.
          if (isAppError(error) && error.code === 'PAIRING_CODE_NOT_FOUND') throw new AppError('PAIRING_CODE_NOT_FOUND', `pairing code not found or expired: ${params.code}`, {hint: error.hint})
          throw error
        }
      },
    }),
  ]
}
