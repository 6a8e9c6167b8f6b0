import {describe, expect, it} from 'vitest'

import type {ChannelRuntime} from '../../../../src/runtime/channels/telegram/runtime-seam.js'
import {TelegramChannel} from '../../../../src/runtime/channels/telegram/telegram-channel.js'
import {freePort} from '../../../helpers/gateway-process.js'
import {channelFixture, parseConfig, recordingLog, TOKEN_A, TOKEN_B} from './harness.js'

const fx = channelFixture()

function open(accounts: Record<string, Record<string, unknown>>, port: number) {
  const seen: string[] = []
  const runtime: ChannelRuntime = {
    async dispatchInbound(envelope) {
      seen.push(`${envelope.accountId}:${envelope.text}`)
      return {runId: 'r', sessionKey: 'agent:main:main', agentId: 'main', queued: false}
    },
    isCommitted: async () => false,
  }
  const channel = fx.stopAfter(new TelegramChannel({
    config: parseConfig({apiRoot: fx.fake.apiRoot, dmPolicy: 'open', allowFrom: ['*'], webhookUrl: 'https://bot.example.com/hook', webhookPort: port, accounts}),
    env: {}, paths: {home: fx.dirs.stateDir, stateDir: fx.dirs.stateDir}, runtime, logFor: () => recordingLog(), machineDir: fx.dirs.machineDir,
  }))
  return {channel, seen}
}

let nextId = 1
const post = (port: number, path: string, secret: string, text: string) => fetch(`http://127.0.0.1:${port}${path}`, {
  method: 'POST', headers: {'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret},
  body: JSON.stringify({update_id: nextId++, message: {message_id: 1, date: 1, chat: {id: 7, type: 'private'}, from: {id: 7, is_bot: false, first_name: 'A'}, text}}),
})

describe('webhook listeners shared per host:port (telegram.md §5)', () => {
  it('two accounts on one port share a listener, routed by path, each with its own secret; it closes after the last one', async () => {
    const port = await freePort()
    const {channel, seen} = open({a: {botToken: TOKEN_A, webhookPath: '/a', webhookSecret: 'secret_a'}, b: {botToken: TOKEN_B, webhookPath: '/b', webhookSecret: 'secret_b'}}, port)
    await channel.start()
    expect((await channel.status()).map((s) => [s.accountId, s.running, s.connected, s.lastError])).toEqual([['a', true, true, null], ['b', true, true, null]])
    expect((await post(port, '/a', 'secret_a', 'to a')).status).toBe(200)
    expect((await post(port, '/b', 'secret_b', 'to b')).status).toBe(200)
    expect((await post(port, '/b', 'secret_a', 'a secret on b')).status).toBe(401)
    expect((await post(port, '/c', 'secret_a', 'nobody')).status).toBe(404)
    expect(seen).toEqual(['a:to a', 'b:to b'])
    await channel.stop('a')
    expect((await post(port, '/a', 'secret_a', 'a stopped')).status).toBe(404)
    expect((await post(port, '/b', 'secret_b', 'b still here')).status).toBe(200)
    await channel.stop('b')
    await expect(post(port, '/b', 'secret_b', 'closed')).rejects.toThrow()
  })

  it('the same path twice on one host:port: the later account does not start and says why', async () => {
    const port = await freePort()
    const {channel} = open({a: {botToken: TOKEN_A, webhookPath: '/same', webhookSecret: 'secret_a'}, b: {botToken: TOKEN_B, webhookPath: '/same', webhookSecret: 'secret_b'}}, port)
    await channel.start()
    const [a, b] = await channel.status()
    const [ok, refused] = a.running && a.connected ? [a, b] : [b, a]
    expect(ok).toMatchObject({connected: true, lastError: null})
    expect(refused).toMatchObject({running: false, connected: false, lastErrorCode: 'TELEGRAM_UNAVAILABLE'})
    expect(refused.lastError).toContain(`webhook path /same on 127.0.0.1:${port} is already used by another account`)
    expect(fx.fake.calls('setWebhook')).toHaveLength(1)
  })
})
