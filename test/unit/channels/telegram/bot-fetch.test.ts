import http from 'node:http'
import net from 'node:net'

import {Api, GrammyError, HttpError} from 'grammy'
import {afterEach, describe, expect, it} from 'vitest'

import {createBotFetch, type ApiClientFetch} from '../../../../src/runtime/channels/telegram/bot-fetch.js'
import {toTelegramFailure} from '../../../../src/runtime/channels/telegram/to-failure.js'
import {startFakeTelegram, type FakeTelegram} from '../../../fakes/telegram-api/index.js'
import {TOKEN_A} from './harness.js'

const BOT = {token: TOKEN_A, id: 111111, username: 'alpha_bot'}
const api = (apiRoot: string, timeoutSeconds?: number) => new Api(TOKEN_A, {apiRoot, fetch: createBotFetch() as unknown as ApiClientFetch, ...(timeoutSeconds ? {timeoutSeconds} : {})})

describe('botFetch: the real grammY Api over node:http (the fake Bot API)', () => {
  let fake: FakeTelegram | undefined
  afterEach(async () => fake?.close())

  it('sends JSON calls and returns their results, one keep-alive connection after another', async () => {
    fake = await startFakeTelegram({bots: [BOT]})
    const client = api(fake.apiRoot)
    expect(await client.getMe()).toMatchObject({id: 111111, username: 'alpha_bot'})
    const sent = await client.sendMessage(42, '<b>hi</b> ünïcödé', {parse_mode: 'HTML', reply_parameters: {message_id: 7, allow_sending_without_reply: true}})
    expect(sent).toMatchObject({text: 'hi ünïcödé'})
    expect(fake.calls('sendMessage')[0].params).toMatchObject({chat_id: 42, text: '<b>hi</b> ünïcödé', parse_mode: 'HTML', reply_parameters: {message_id: 7}})
  })

  it('an API error becomes a GrammyError with its code and parameters', async () => {
    fake = await startFakeTelegram({bots: [BOT]})
    fake.failNext('sendMessage', {error_code: 429, description: 'Too Many Requests: retry after 3', parameters: {retry_after: 3}})
    const error = await api(fake.apiRoot).sendMessage(1, 'x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GrammyError)
    expect(toTelegramFailure(error, 'sendMessage')).toMatchObject({kind: 'api', errorCode: 429, retryAfterSec: 3})
  })

  it('a refused connection never left (retry is safe); a dropped one may have reached Telegram', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const {port} = server.address() as net.AddressInfo
        server.close(() => resolve(port))
      })
    })
    const refused = await api(`http://127.0.0.1:${closed}`).sendMessage(1, 'x').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(HttpError)
    expect(toTelegramFailure(refused, 'sendMessage')).toMatchObject({kind: 'network', message: 'ECONNREFUSED', requestSent: false})
    fake = await startFakeTelegram({bots: [BOT]})
    fake.dropConnection('sendMessage')
    const dropped = await api(fake.apiRoot).sendMessage(1, 'x').catch((e: unknown) => e)
    expect(toTelegramFailure(dropped, 'sendMessage')).toMatchObject({kind: 'network', requestSent: true})
  })

  it("grammY's timeout aborts the request", async () => {
    fake = await startFakeTelegram({bots: [BOT]})
    fake.delay('sendMessage', 5000)
    const error = await api(fake.apiRoot, 1).sendMessage(1, 'slow').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    // grammY's timer and the aborted request race; either way a send that may have arrived.
    expect(toTelegramFailure(error, 'sendMessage')).toMatchObject({kind: 'network', message: expect.stringMatching(/timed out|aborted/), requestSent: true})
  })

  it('never reuses a connection idle longer than the server keeps it (its Keep-Alive hint − 1 s, else the default)', async () => {
    let clock = 0
    const connections: net.Socket[] = []
    const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(200, {'content-type': 'application/json'}).end('{"ok":true,"result":true}')))
    server.on('connection', (socket) => connections.push(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const root = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
    const fetch = createBotFetch({now: () => clock, defaultIdleMs: 3000})
    const client = new Api(TOKEN_A, {apiRoot: root, fetch: fetch as unknown as ApiClientFetch})
    try {
      // The server announces `Keep-Alive: timeout=5`: reused up to 4 s idle, a new connection after.
      server.keepAliveTimeout = 5000
      await client.sendMessage(1, 'a')
      clock += 3900
      await client.sendMessage(1, 'b')
      expect(connections).toHaveLength(1)
      clock += 4100
      await client.sendMessage(1, 'c')
      expect(connections).toHaveLength(2)
      // No hint (no server-side idle timeout): the default, 3 s here.
      server.keepAliveTimeout = 0
      await client.sendMessage(1, 'd')
      clock += 2900
      await client.sendMessage(1, 'e')
      expect(connections).toHaveLength(2)
      clock += 3100
      await client.sendMessage(1, 'f')
      expect(connections).toHaveLength(3)
      fetch.close()
      await expect.poll(() => connections.every((socket) => socket.destroyed || socket.readableEnded)).toBe(true)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
