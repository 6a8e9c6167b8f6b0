import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import type {ConversationMessage} from '../../../src/runtime/models/messages.js'
import {providerFor} from '../../../src/runtime/models/providers.js'
import {HttpAgents} from '../../../src/runtime/net/http-agents.js'
import {hang, httpError, stall, startFakeModel, text, type FakeModel} from '../../fakes/model-server/index.js'
import {collect, fakeModel, userSays, type Api} from './fake-provider.js'
import {failure} from '../../helpers/app-error-of.js'

let fake: FakeModel | undefined
let agents: HttpAgents | undefined
let raw: Server | undefined
afterEach(async () => {
  agents?.close()
  await fake?.destroy()
  raw?.closeAllConnections()
  await new Promise((resolve) => (raw === undefined ? resolve(undefined) : raw.close(resolve)))
  fake = agents = raw = undefined
})

function stream(api: Api, model = fakeModel(fake!, api), messages: ConversationMessage[] = [userSays('hi')], signal = new AbortController().signal) {
  return collect(providerFor(api).stream({model, apiKey: 'k', system: 's', messages, tools: [], signal, agents}))
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(condition()).toBe(true)
}

describe.each(['openai-completions', 'anthropic-messages'] as const)('%s over node:http', (api) => {
  it('reuses one kept-alive socket for successive requests, also after an error answer', async () => {
    fake = await startFakeModel()
    agents = new HttpAgents()
    fake.enqueue(text('one'), httpError(500), text('three'))
    await stream(api)
    expect((await failure(stream(api))).details.status).toBe(500)
    await stream(api)
    expect(fake.requests.map((r) => r.connection)).toEqual([1, 1, 1])
    expect(fake.requests[0].headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(fake.requests[0].body))))
    await fake.close()
  })

  it('an aborted or idle-timed-out request closes its socket (the server sees it) and the next one gets a fresh socket', async () => {
    fake = await startFakeModel()
    agents = new HttpAgents()
    fake.enqueue(hang({afterChunks: 1}), stall({afterChunks: 1, ms: 5000}), text('after'))
    const controller = new AbortController()
    const aborted = failure(stream(api, undefined, undefined, controller.signal))
    await fake.waitForRequests(1)
    controller.abort()
    expect((await aborted).details.kind).toBe('aborted')
    await until(() => fake!.requests[0].aborted)
    expect((await failure(stream(api, fakeModel(fake, api, {timeoutSeconds: 1})))).details.kind).toBe('timeout')
    await until(() => fake!.requests[1].aborted)
    await stream(api)
    expect(fake.requests.map((r) => r.connection)).toEqual([1, 2, 3])
    await fake.close()
  })

  it('a long stream read by a slow consumer arrives whole and in order', async () => {
    fake = await startFakeModel()
    agents = new HttpAgents()
    const deltas = Array.from({length: 60}, (_, i) => `d${i} `)
    fake.enqueue(text(...deltas))
    const seen: string[] = []
    for await (const event of providerFor(api).stream({model: fakeModel(fake, api), apiKey: 'k', system: 's', messages: [userSays('hi')], tools: [], signal: new AbortController().signal, agents})) {
      if (event.type === 'text') seen.push(event.delta)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(seen).toEqual(deltas)
    await fake.close()
  })

  it('sends UTF-8 bodies and decodes characters split across chunks', async () => {
    fake = await startFakeModel()
    agents = new HttpAgents()
    // The fake writes each delta as its own chunk: the lobster's 4 bytes arrive whole in one chunk, so split it in the text.
    fake.enqueue(text('ü🦞', ' ünïcödé'))
    const events = await stream(api, undefined, [userSays('grüße 🦞')])
    expect(events.filter((e) => e.type === 'text').map((e) => (e as {delta: string}).delta).join('')).toBe('ü🦞 ünïcödé')
    expect(JSON.stringify(fake.requests[0].body)).toContain('grüße 🦞')
    await fake.close()
  })

  it('a TLS server whose certificate is not trusted is a network error naming the cause and NODE_EXTRA_CA_CERTS', async () => {
    fake = await startFakeModel({tls: true})
    agents = new HttpAgents()
    const error = await failure(stream(api))
    expect(error.code).toBe('MODEL_UNREACHABLE')
    expect(error.message).toMatch(/^cannot reach model server https:\/\/127\.0\.0\.1:\d+\/v1\/\S+: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)$/)
    expect(error.hint?.[0]).toContain('NODE_EXTRA_CA_CERTS')
    expect(fake.requests).toHaveLength(0)
  })
})

/** A raw server: answers `replies` in order; `'reset'` destroys the socket without an answer. */
async function rawServer(replies: Array<'ok' | 'reset' | 'moved'>): Promise<{url: string; seen: number[]}> {
  const seen: number[] = []
  let connections = 0
  const ids = new WeakMap<object, number>()
  raw = createServer((req, res) => {
    seen.push(ids.get(req.socket)!)
    req.resume()
    req.on('end', () => {
      const reply = replies.shift()
      if (reply === 'reset') req.socket.destroy()
      else if (reply === 'moved') res.writeHead(308, {location: 'https://models.example/v2/chat/completions'}).end()
      else res.writeHead(200, {'content-type': 'text/event-stream'}).end('data: {"choices":[{"delta":{"content":"ok"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')
    })
  })
  raw.on('connection', (socket) => ids.set(socket, ++connections))
  await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`, seen}
}

describe('a raw HTTP server: stale kept-alive sockets, redirects', () => {
  it('a request that fails on a reused socket before any answer is sent once more on a new socket', async () => {
    const server = await rawServer(['ok', 'reset', 'ok'])
    agents = new HttpAgents()
    fake = await startFakeModel()
    const model = {...fakeModel(fake, 'openai-completions'), baseUrl: server.url}
    await stream('openai-completions', model)
    const events = await stream('openai-completions', model)
    expect(events.at(-1)).toMatchObject({type: 'done', message: {content: [{type: 'text', text: 'ok'}]}})
    expect(server.seen).toEqual([1, 1, 2])
  })

  it('a fresh socket that fails is not sent again: the error names the URL and ECONNRESET', async () => {
    const server = await rawServer(['reset', 'ok'])
    agents = new HttpAgents()
    fake = await startFakeModel()
    const model = {...fakeModel(fake, 'openai-completions'), baseUrl: server.url}
    const error = await failure(stream('openai-completions', model))
    expect(error.message).toBe(`cannot reach model server ${server.url}/chat/completions: ECONNRESET`)
    expect(server.seen).toEqual([1])
  })

  it('a redirect is not followed: a fatal error naming the new address and the baseUrl fix', async () => {
    const server = await rawServer(['moved'])
    agents = new HttpAgents()
    fake = await startFakeModel()
    const model = {...fakeModel(fake, 'openai-completions'), baseUrl: server.url}
    const error = await failure(stream('openai-completions', model))
    expect([error.details.kind, error.details.status, error.message]).toEqual(['bad_request', 308, 'fake answered 308: the API moved to https://models.example/v2/chat/completions'])
    expect(error.hint?.[0]).toBe('Point the provider at the new address: openclaw config set models.providers.fake.baseUrl <new base URL>')
  })
})
