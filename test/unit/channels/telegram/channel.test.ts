import {describe, expect, it} from 'vitest'

import type {InboundEnvelope} from '../../../../src/runtime/routing/envelope.js'
import type {DeliverySession} from '../../../../src/runtime/channels/telegram/outbound/delivery-session.js'
import type {ChannelRuntime, DeliverySink} from '../../../../src/runtime/channels/telegram/runtime-seam.js'
import {TelegramChannel} from '../../../../src/runtime/channels/telegram/telegram-channel.js'
import {channelFixture, parseConfig, recordingLog, TOKEN_A, TOKEN_B, until} from './harness.js'

/** A stand-in for the run loop: commits at once, then answers through the sink with `reply(envelope)`. */
function fakeRuntime(reply: (envelope: InboundEnvelope, sink: DeliverySink) => Promise<unknown>) {
  const received: InboundEnvelope[] = []
  const runtime: ChannelRuntime = {
    async dispatchInbound(envelope, sink) {
      received.push(envelope)
      void reply(envelope, sink).catch(() => undefined)
      return {runId: `r${received.length}`, sessionKey: `agent:main:${envelope.peer.id}`, agentId: 'main', queued: false}
    },
    isCommitted: async () => false,
  }
  return {runtime, received}
}

const log = recordingLog()
const fx = channelFixture()

function open(telegram: Record<string, unknown>, reply: Parameters<typeof fakeRuntime>[0], sessions: DeliverySession[] = []) {
  const {runtime, received} = fakeRuntime(reply)
  const channel = fx.stopAfter(new TelegramChannel({
    config: parseConfig({apiRoot: fx.fake.apiRoot, ...telegram}), env: {}, paths: {home: fx.dirs.stateDir, stateDir: fx.dirs.stateDir}, runtime,
    logFor: () => log, machineDir: fx.dirs.machineDir, timing: {backoffMinMs: 10, backoffMaxMs: 50, pollTimeoutSec: 1},
    onDelivery: (s) => sessions.push(s),
  }))
  return {channel, received}
}

const echo = async (envelope: InboundEnvelope, sink: DeliverySink) => sink.final({text: `echo: ${envelope.text}`})

describe('TelegramChannel against the fake Bot API', () => {
  it('pairing: an unknown DM gets a code, approval lets the next DM reach the runtime and get its reply', async () => {
    const {channel, received} = open({botToken: TOKEN_A}, echo)
    await channel.start()
    fx.fake.dm({from: {id: 42, username: 'alice', first_name: 'Alice'}, text: 'hi'})
    const prompt = await fx.fake.waitFor('sendMessage')
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(String(prompt.params.text))![1]
    expect(prompt.params.text).toContain(`openclaw pairing approve telegram ${code}`)
    fx.fake.dm({from: {id: 42}, text: 'again'})
    await until(() => (channel as TelegramChannel).pairing.list()[0]?.lastSeenAt !== undefined && log.lines.some((l) => l.message.includes('(pairing-pending)')))
    expect(fx.fake.calls('sendMessage')).toHaveLength(1)
    await channel.pairing.approve(code)
    fx.fake.dm({from: {id: 42}, text: 'hello'})
    await fx.fake.waitFor('sendMessage', (c) => c.params.text === 'echo: hello')
    expect(received.map((e) => e.text)).toEqual(['hello'])
    const [status] = await channel.status()
    expect(status).toMatchObject({running: true, connected: true, botUsername: 'alpha_bot', skipped: {'pairing-required': 1, 'pairing-pending': 1}})
  })

  it('groups: no mention is skipped; @botname in any case is answered, threaded under replyToMode first; a topic has its own peer and thread', async () => {
    const {channel, received} = open({botToken: TOKEN_A, groupPolicy: 'open', replyToMode: 'first'}, echo)
    await channel.start()
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 7}, text: 'no mention here'})
    const mention = fx.fake.groupMessage({chat: {id: -100}, from: {id: 7}, text: '@Alpha_Bot hi', entities: [{type: 'mention', offset: 0, length: 10}]})
    const reply = await fx.fake.waitFor('sendMessage')
    expect(reply.params).toMatchObject({chat_id: '-100', reply_parameters: {message_id: (mention.message as {message_id: number}).message_id, allow_sending_without_reply: true}})
    expect(log.lines.some((l) => /skipped update \d+ from 7 in -100 \(no-mention\)/.test(l.message))).toBe(true)
    fx.fake.groupMessage({chat: {id: -200, is_forum: true}, from: {id: 7}, threadId: 5, text: '@alpha_bot topic', entities: [{type: 'mention', offset: 0, length: 10}]})
    await fx.fake.waitFor('sendMessage', (c) => c.params.chat_id === '-200')
    expect(fx.fake.calls('sendMessage').at(-1)!.params.message_thread_id).toBe(5)
    expect(received.map((e) => [e.peer.id, e.parentPeer?.id, e.mentionSource])).toEqual([['-100', undefined, 'entity'], ['-200:topic:5', '-200', 'entity']])
  })

  it('a 10,000-character Markdown reply arrives as ordered chunks ≤ 4096 of valid HTML', async () => {
    const long = Array.from({length: 100}, (_, i) => `**Line ${i}** ` + 'text '.repeat(18)).join('\n\n')
    expect(long.length).toBeGreaterThan(10_000)
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}, async (_e, sink) => sink.final({text: long}))
    await channel.start()
    fx.fake.dm({from: {id: 9}, text: 'long please'})
    await until(() => fx.fake.visibleText(9).join('').replace(/\s/g, '').length >= long.replace(/\*\*|\s/g, '').length)
    const sends = fx.fake.calls('sendMessage')
    expect(sends.every((c) => c.ok && c.params.parse_mode === 'HTML')).toBe(true)
    expect(sends.length).toBe(3)
    expect(fx.fake.visibleText(9)[0]).toMatch(/^Line 0 /)
  })

  it('a notice (model fallback) goes out as its own message before the reply', async () => {
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}, async (_e, sink) => {
      sink.notice?.('↪️ Model fallback: b/m (selected a/m; key rejected, HTTP 401)')
      await sink.final({text: 'answer'})
    })
    await channel.start()
    fx.fake.dm({from: {id: 9}, text: 'hi'})
    await fx.fake.waitFor('sendMessage', (c) => c.params.text === 'answer')
    expect(fx.fake.calls('sendMessage').map((c) => c.params.text)).toEqual(['↪️ Model fallback: b/m (selected a/m; key rejected, HTTP 401)', 'answer'])
  })

  it('a parse error is resent as plain text once', async () => {
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}, echo)
    await channel.start()
    fx.fake.failNext('sendMessage', {error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 0"})
    fx.fake.dm({from: {id: 9}, text: '**bold**'})
    const plain = await fx.fake.waitFor('sendMessage', (c) => c.ok)
    expect(plain.params.parse_mode).toBeUndefined()
    expect(plain.params.text).toBe('echo: bold')
  })

  it('streaming: one preview, edits at most once a second, exactly one final', async () => {
    const sessions: DeliverySession[] = []
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*']}, async (_e, sink) => {
      let text = ''
      for (let i = 0; i < 12; i++) {
        text += 'streamed words here '
        sink.preview(text)
        await new Promise((r) => setTimeout(r, 100))
      }
      await sink.final({text: text + 'done'})
    }, sessions)
    await channel.start()
    fx.fake.dm({from: {id: 9}, text: 'stream'})
    await until(() => sessions[0]?.state === 'delivered', 5000)
    expect(fx.fake.calls('sendMessage')).toHaveLength(1)
    const edits = fx.fake.calls('editMessageText')
    expect(edits.length).toBeGreaterThanOrEqual(1)
    for (let i = 1; i < edits.length - 1; i++) expect(edits[i].at - edits[i - 1].at).toBeGreaterThanOrEqual(900)
    expect(fx.fake.visibleText(9)).toEqual([('streamed words here '.repeat(12) + 'done')])
  })

  it('an ambiguous final send (connection dropped) is not resent and the record is uncertain', async () => {
    const sessions: DeliverySession[] = []
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}, echo, sessions)
    await channel.start()
    fx.fake.dropConnection('sendMessage')
    fx.fake.dm({from: {id: 9}, text: 'x'})
    await until(() => sessions[0]?.state === 'uncertain')
    await new Promise((r) => setTimeout(r, 200))
    expect(fx.fake.calls('sendMessage')).toHaveLength(1)
  })

  it('a 429 with retry_after waits that long and retries the same request', async () => {
    const {channel} = open({botToken: TOKEN_A, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}, echo)
    await channel.start()
    fx.fake.failNext('sendMessage', {error_code: 429, description: 'Too Many Requests: retry after 1', parameters: {retry_after: 1}})
    fx.fake.dm({from: {id: 9}, text: 'x'})
    const ok = await fx.fake.waitFor('sendMessage', (c) => c.ok, 5000)
    const [first] = fx.fake.calls('sendMessage')
    expect(ok.at - first.at).toBeGreaterThanOrEqual(1000)
    expect(ok.params.text).toBe(first.params.text)
  })

  it('two accounts: each reply leaves through the bot that received the message; a blocked user is not retried', async () => {
    const {channel, received} = open({dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', accounts: {home: {botToken: TOKEN_A}, work: {botToken: TOKEN_B}}}, echo)
    await channel.start()
    fx.fake.dm({from: {id: 9}, text: 'to work', botId: 222222})
    fx.fake.dm({from: {id: 9}, text: 'to home', botId: 111111})
    await fx.fake.waitFor('sendMessage', (c) => c.botId === 222222)
    await fx.fake.waitFor('sendMessage', (c) => c.botId === 111111)
    expect(received.map((e) => [e.accountId, e.text]).sort()).toEqual([['home', 'to home'], ['work', 'to work']])
    expect(fx.fake.calls('sendMessage').map((c) => [c.botId, c.params.text]).sort()).toEqual([[111111, 'echo: to home'], [222222, 'echo: to work']])
    fx.fake.blockUser(77)
    await expect(channel.send({target: {accountId: 'work', chatId: '77'}, text: 'hi'})).rejects.toMatchObject({code: 'TELEGRAM_BLOCKED'})
    expect(fx.fake.calls('sendMessage').filter((c) => c.params.chat_id === '77')).toHaveLength(1)
  })
})
