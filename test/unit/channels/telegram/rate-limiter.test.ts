import {Api} from 'grammy'
import {afterEach, describe, expect, it} from 'vitest'

import {isPrivateChat, RateLimiter, TELEGRAM_LIMITS} from '../../../../src/runtime/channels/telegram/outbound/rate-limiter.js'
import {BudgetSkipped, throttleTransformer} from '../../../../src/runtime/channels/telegram/outbound/throttle.js'
import {startFakeTelegram, type FakeTelegram} from '../../../fakes/telegram-api/index.js'
import {TOKEN_A} from './harness.js'

function clocked(limits = TELEGRAM_LIMITS) {
  const clock = {t: 1_000_000}
  return {clock, limiter: new RateLimiter(limits, () => clock.t)}
}

describe('RateLimiter (telegram.md §10.6, injected clock)', () => {
  it.each([
    // [case, chat, calls at t=0, expected waits]
    ['private chat: burst 3, then 1/s', '42', 4, [0, 0, 0, 1000]],
    ['group: burst 5, then 20/min', '-100123', 6, [0, 0, 0, 0, 0, 3000]],
    ['no chat (sendChatAction): global burst 25', null, 26, [...Array<number>(25).fill(0), 40]],
  ] as const)('%s', (_name, chat, calls, waits) => {
    const {limiter} = clocked()
    expect(Array.from({length: calls}, () => limiter.take(chat))).toEqual(waits)
  })

  it('refills with time: the 4th private message goes 1 s after the burst', () => {
    const {clock, limiter} = clocked()
    for (let i = 0; i < 3; i++) limiter.take('7')
    clock.t += 999
    expect(limiter.take('7')).toBe(1)
    clock.t += 1
    expect(limiter.take('7')).toBe(0)
  })

  it('a chat held back by its own bucket spends no global token; other chats still get the whole global burst', () => {
    const {limiter} = clocked()
    for (let i = 0; i < 3; i++) limiter.take('1')
    for (let i = 0; i < 10; i++) expect(limiter.take('1')).toBeGreaterThan(0)
    const others = Array.from({length: 22}, (_, i) => limiter.take(String(100 + i)))
    expect(others).toEqual(Array<number>(22).fill(0))
    expect(limiter.take('999')).toBe(40)
  })

  it('pause (429 retry_after) holds that chat only; a pause without a chat holds everything', () => {
    const {clock, limiter} = clocked()
    limiter.pause('5', 2000)
    expect(limiter.take('5')).toBe(2000)
    expect(limiter.take('6')).toBe(0)
    clock.t += 2000
    expect(limiter.take('5')).toBe(0)
    limiter.pause(null, 500)
    expect(limiter.take('6')).toBe(500)
  })

  it('per-chat state is evicted after 10 idle minutes', () => {
    const {clock, limiter} = clocked()
    for (let i = 0; i < 50; i++) limiter.take(String(i))
    expect(limiter.trackedChats).toBe(50)
    clock.t += 10 * 60_000
    limiter.take('new')
    expect(limiter.trackedChats).toBe(1)
  })

  it('takeSpare (typing) leaves a fifth of the global burst to replies, never waits, and stops while the account is paused', () => {
    const {clock, limiter} = clocked()
    // 25 tokens: best-effort calls may take 20 (each needs 1 + 5 spare), replies still get the other 5.
    expect(Array.from({length: 22}, () => limiter.takeSpare())).toEqual([...Array<boolean>(20).fill(true), false, false])
    expect(Array.from({length: 6}, (_, i) => limiter.take(String(i)))).toEqual([0, 0, 0, 0, 0, 40])
    clock.t += 1000
    expect(limiter.takeSpare()).toBe(true)
    limiter.pause(null, 2000)
    expect(limiter.takeSpare()).toBe(false)
    clock.t += 2000
    expect(limiter.takeSpare()).toBe(true)
  })

  it.each([['42', true], ['-42', false], ['-1001234567890', false]])('chat %s private: %s', (chat, expected) => expect(isPrivateChat(chat)).toBe(expected))
})

const BOT_A = {token: TOKEN_A, id: 111111, username: 'alpha_bot'}

describe('throttle transformer on the real grammY Api against the fake Bot API', () => {
  let fake: FakeTelegram | undefined
  afterEach(async () => fake?.close())

  it('paces one chat (FIFO, in order) while another chat goes at once, and a 429 pauses that chat for retry_after', async () => {
    fake = await startFakeTelegram({bots: [{token: TOKEN_A, id: 111111, username: 'alpha_bot'}]})
    // Faster buckets than Telegram's so the test stays short; the arithmetic is the table's above.
    const limiter = new RateLimiter({...TELEGRAM_LIMITS, privateChat: {capacity: 2, perMs: 1 / 100}})
    const api = new Api(TOKEN_A, {apiRoot: fake.apiRoot})
    api.config.use(throttleTransformer(limiter))
    const started = Date.now()
    await Promise.all([1, 2, 3, 4].map((n) => api.sendMessage(10, `m${n}`)).concat(api.sendMessage(20, 'other')))
    const sends = fake.calls('sendMessage')
    const inChat = sends.filter((c) => c.params.chat_id === 10)
    // m1 and m2 leave at once on two sockets (either may land first); the paced ones follow in order.
    expect(inChat.slice(0, 2).map((c) => c.params.text).sort()).toEqual(['m1', 'm2'])
    expect(inChat.slice(2).map((c) => c.params.text)).toEqual(['m3', 'm4'])
    expect(inChat[3].at - started).toBeGreaterThanOrEqual(190)
    // Behind chat 10's queue it would go after m4; alone it goes at once, ahead of the paced m3
    // (an order, not a wall-clock bound, so a loaded machine cannot fail it).
    expect(sends.findIndex((c) => c.params.chat_id === 20)).toBeLessThan(sends.findIndex((c) => c.params.text === 'm3'))

    fake.failNext('sendMessage', {error_code: 429, description: 'Too Many Requests: retry after 2', parameters: {retry_after: 2}})
    await expect(api.sendMessage(30, 'limited')).rejects.toThrow(/429/)
    const pausedAt = Date.now()
    // Both start now; paused too, chat 31 would wait the full 2 s. The bound is far from both the
    // pause and a loaded machine's round trip.
    const after = api.sendMessage(30, 'after the pause').then(() => Date.now() - pausedAt)
    await api.sendMessage(31, 'other chat, not paused')
    expect(Date.now() - pausedAt).toBeLessThan(1500)
    expect(await after).toBeGreaterThanOrEqual(1950)
  })

  it('replies of many chats held back by the global bucket wait in line: one wake-up per token, not one per waiting call', async () => {
    fake = await startFakeTelegram({bots: [BOT_A]})
    const limiter = new RateLimiter({...TELEGRAM_LIMITS, global: {capacity: 2, perMs: 1 / 10}})
    let takes = 0
    const take = limiter.take.bind(limiter)
    limiter.take = (chatId) => (takes++, take(chatId))
    const api = new Api(TOKEN_A, {apiRoot: fake.apiRoot})
    api.config.use(throttleTransformer(limiter))
    const chats = Array.from({length: 30}, (_, i) => 1000 + i)
    await Promise.all(chats.map((chat) => api.sendMessage(chat, `to ${chat}`)))
    expect(fake.calls('sendMessage').map((c) => c.params.chat_id).sort()).toEqual(chats)
    // A timer per waiting call would retry ~28 calls every 10 ms for ~280 ms: hundreds of takes.
    expect(takes).toBeLessThan(3 * chats.length)
  })

  it('typing (sendChatAction) goes while the budget has room and is skipped, not queued, while replies use it up', async () => {
    fake = await startFakeTelegram({bots: [BOT_A]})
    const {clock, limiter} = clocked({...TELEGRAM_LIMITS, global: {capacity: 5, perMs: 5 / 1000}})
    const api = new Api(TOKEN_A, {apiRoot: fake.apiRoot})
    api.config.use(throttleTransformer(limiter))
    expect(await api.sendChatAction(10, 'typing')).toBe(true)
    await Promise.all([20, 21, 22].map((chat) => api.sendMessage(chat, 'reply')))
    // One token left of five: it belongs to replies.
    await expect(api.sendChatAction(11, 'typing')).rejects.toBeInstanceOf(BudgetSkipped)
    expect(await api.sendMessage(23, 'reply')).toMatchObject({text: 'reply'})
    expect(fake.calls('sendChatAction').map((c) => c.params.chat_id)).toEqual([10])
    clock.t += 1000
    expect(await api.sendChatAction(12, 'typing')).toBe(true)
  })
})
