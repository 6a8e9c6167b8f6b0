import {describe, expect, it} from 'vitest'

import type {ChannelAdapter, ChannelSendRequest} from '../../../src/runtime/channels/adapter.js'
import {channelMethods} from '../../../src/runtime/channels/channel-methods.js'
import {isAppError} from '../../../src/runtime/errors/app-error.js'
import type {MethodContext} from '../../../src/runtime/gateway/server/registry.js'

// A counting adapter: the method group's dedupe is what is under test, not the Telegram send.
function countingAdapter(fail = false): ChannelAdapter & {requests: ChannelSendRequest[]; release(): void} {
  const requests: ChannelSendRequest[] = []
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  return {
    channel: 'telegram', requests, release: () => release(),
    async start() {}, async stop() {}, async status() { return [] },
    async send(request) {
      requests.push(request)
      await gate
      if (fail) throw new Error('boom')
      return {channel: 'telegram', accountId: request.target.accountId ?? 'default', chatId: request.target.chatId, messageIds: [String(requests.length)]}
    },
  }
}

const send = (adapter: ChannelAdapter | undefined) => {
  const method = channelMethods(() => adapter).find((m) => m.name === 'send')!
  return (params: Record<string, unknown>) => method.handler(method.params.parse(params), {} as MethodContext) as Promise<Record<string, unknown>>
}

describe('send RPC (protocol.md §8 idempotency)', () => {
  it('a repeat while in flight waits for the original; a repeat after it replays; a new key sends again', async () => {
    const adapter = countingAdapter()
    const call = send(adapter)
    const first = call({to: '5', message: 'hi', accountId: 'work', idempotencyKey: 'k1'})
    const repeat = call({to: '5', message: 'hi', accountId: 'work', idempotencyKey: 'k1'})
    adapter.release()
    expect(await first).toEqual({runId: 'k1', channel: 'telegram', accountId: 'work', chatId: '5', messageId: '1', messageIds: ['1']})
    expect(await repeat).toEqual(await first)
    expect(await call({to: '5', message: 'hi', idempotencyKey: 'k1'})).toEqual(await first)
    expect(adapter.requests).toHaveLength(1)
    await call({to: '5', message: 'hi', idempotencyKey: 'k2'})
    expect(adapter.requests).toHaveLength(2)
  })
  it('a failure is cached too: the repeat does not send again', async () => {
    const adapter = countingAdapter(true)
    adapter.release()
    const call = send(adapter)
    await expect(call({to: '5', message: 'x', idempotencyKey: 'f'})).rejects.toThrow('boom')
    await expect(call({to: '5', message: 'x', idempotencyKey: 'f'})).rejects.toThrow('boom')
    expect(adapter.requests).toHaveLength(1)
  })
  it('params are strict and the key is required', () => {
    const method = channelMethods(() => undefined).find((m) => m.name === 'send')!
    expect(method.params.safeParse({to: '5', message: 'x'}).success).toBe(false)
    expect(method.params.safeParse({to: '5', message: 'x', idempotencyKey: 'k', bogus: 1}).success).toBe(false)
  })
  it('without a telegram block the gateway says how to add an account', async () => {
    const error = await send(undefined)({to: '5', message: 'x', idempotencyKey: 'n'}).catch((e: unknown) => e)
    expect(isAppError(error) && error.code).toBe('CHANNEL_ACCOUNT_NOT_FOUND')
    expect(isAppError(error) && error.hint).toEqual(['openclaw channels add --channel telegram --token <token>'])
  })
})
