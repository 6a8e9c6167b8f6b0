import {describe, expect, it} from 'vitest'

import type {IncomingUpdate} from '../../../../src/runtime/channels/telegram/account-runner.js'
import {secretMatches} from '../../../../src/runtime/channels/telegram/webhook-server.js'
import {freePort} from '../../../helpers/gateway-process.js'
import {channelFixture, makeRunner, recordingLog} from './harness.js'

const fx = channelFixture()

const SECRET = 'wh_Secret-123'

describe('webhook mode (telegram.md §5) with the real grammY and the fake Bot API', () => {
  it.each([
    ['same', SECRET, true],
    ['other', 'wh_Secret-124', false],
    ['prefix', 'wh_Secret', false],
    ['missing', undefined, false],
    ['empty', '', false],
  ] as const)('secret header %s', (_name, header, ok) => expect(secretMatches(header, SECRET)).toBe(ok))

  it('registers the webhook, refuses a request without the right secret, processes one with it, and leaves the webhook set on stop', async () => {
    const seen: string[] = []
    const handle = async (incoming: IncomingUpdate) => void seen.push(String(incoming.update.message?.text))
    const log = recordingLog()
    const port = await freePort()
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle, log, settings: {webhookUrl: 'https://bot.example.com/tg', webhookSecret: SECRET, webhookPort: port, webhookPath: '/tg'}})
    await runner.start()
    expect(fx.fake.calls('setWebhook')[0].params).toMatchObject({url: 'https://bot.example.com/tg', secret_token: SECRET, max_connections: 1, drop_pending_updates: false})
    expect(fx.fake.calls('getUpdates')).toHaveLength(0)
    const url = `http://127.0.0.1:${runner.webhookPort}/tg`
    const update = (id: number, text: string) => JSON.stringify({update_id: id, message: {message_id: id, date: 1, chat: {id: 7, type: 'private'}, from: {id: 7, is_bot: false, first_name: 'A'}, text}})
    const post = (body: string, headers: Record<string, string> = {}, target = url) => fetch(target, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body})

    expect((await post(update(1, 'no secret'))).status).toBe(401)
    expect((await post(update(2, 'wrong secret'), {'x-telegram-bot-api-secret-token': 'nope'})).status).toBe(401)
    expect((await fetch(url)).status).toBe(405)
    expect((await post(update(3, 'wrong path'), {'x-telegram-bot-api-secret-token': SECRET}, `http://127.0.0.1:${runner.webhookPort}/other`)).status).toBe(404)
    expect((await post('{not json', {'x-telegram-bot-api-secret-token': SECRET})).status).toBe(400)
    expect(seen).toEqual([])
    expect(log.lines.filter((l) => l.message.includes('webhook request refused'))).toHaveLength(2)

    const ok = await post(update(4, 'hello'), {'x-telegram-bot-api-secret-token': SECRET})
    expect(ok.status).toBe(200)
    expect(seen).toEqual(['hello'])
    // Telegram resends on a lost answer: the same update_id is not processed twice.
    expect((await post(update(4, 'hello'), {'x-telegram-bot-api-secret-token': SECRET})).status).toBe(200)
    expect(seen).toEqual(['hello'])
    expect(runner.snapshot({channel: 'telegram', accountId: 'default', name: null, enabled: true, configured: true, tokenSource: 'config', mode: 'webhook', webhookUrl: 'https://bot.example.com/tg', pendingPairings: 0})).toMatchObject({running: true, connected: true})

    await runner.stop()
    expect(fx.fake.calls('deleteWebhook')).toHaveLength(0)
    await expect(post(update(5, 'after stop'), {'x-telegram-bot-api-secret-token': SECRET})).rejects.toThrow()
  })
})
