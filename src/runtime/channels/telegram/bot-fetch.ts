import http from 'node:http'
import https from 'node:https'
import type {Readable} from 'node:stream'

import type {Api} from 'grammy'

import {freshSocketAgent} from '../../net/fresh-socket-agent.js'

/** The part of an AbortSignal grammY hands over (its own polyfill class, not Node's). */
interface SignalLike {
  aborted: boolean
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

interface BotFetchInit {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | Readable
  signal?: SignalLike
  /** grammY's keep-alive agent for the API root (`baseFetchConfig`): not used (see `createBotFetch`). */
  agent?: http.Agent
}

/** The type grammY's `client.fetch` option declares (node-fetch's); `botFetch` implements the part grammY calls. */
export type ApiClientFetch = NonNullable<NonNullable<ConstructorParameters<typeof Api>[1]>['fetch']>

export interface BotFetchResponse {
  status: number
  ok: boolean
  json(): Promise<unknown>
}

/** A `fetch` for grammY with the keep-alive agents it owns; `close()` ends their idle connections (account stop). */
export interface BotFetch {
  (url: string, init?: BotFetchInit): Promise<BotFetchResponse>
  close(): void
}

/**
 * The `fetch` grammY's API client calls (its `client.fetch` option): one node:http(s) request on
 * this fetch's own keep-alive agent (see `freshSocketAgent`; grammY's agent is not used), the
 * answer read whole and parsed by `json()`, which is all grammY uses of a response. Per Bot API
 * call it costs about half the CPU of grammY's default (node-fetch 2, which builds Headers, Body
 * and URL objects around the same request). Network errors keep their `code` (ECONNREFUSED...),
 * which `to-failure.ts` reads to tell a send that never left from one that may have reached
 * Telegram; an abort (grammY's timeout, a stop) rejects with an AbortError.
 */
export function createBotFetch(options: {now?: () => number; defaultIdleMs?: number} = {}): BotFetch {
  const agents = {http: freshSocketAgent(http.Agent, {}, options), https: freshSocketAgent(https.Agent, {}, options)}
  const fetch = (url: string, init: BotFetchInit = {}) => request(url.startsWith('https:') ? https : http, url.startsWith('https:') ? agents.https : agents.http, url, init)
  // Only idle connections: a reply still on its way when an account stops must not be cut off.
  return Object.assign(fetch, {close: () => {
    for (const agent of [agents.http, agents.https]) for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy()
  }})
}

function request(transport: typeof http | typeof https, agent: http.Agent, url: string, init: BotFetchInit): Promise<BotFetchResponse> {
  return new Promise((resolve, reject) => {
    const signal = init.signal
    if (signal?.aborted) return reject(abortError())
    const request = transport.request(url, {method: init.method ?? 'GET', headers: init.headers, agent}, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', fail)
      // The connection closed before the whole answer came: it may have been handled (ECONNRESET).
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('connection closed before the whole response'), {code: 'ECONNRESET'}))
      })
      response.on('end', () => {
        signal?.removeEventListener('abort', onAbort)
        const text = Buffer.concat(chunks).toString('utf8')
        const status = response.statusCode ?? 0
        resolve({status, ok: status >= 200 && status < 300, json: async () => JSON.parse(text) as unknown})
      })
    })
    function fail(error: Error): void {
      signal?.removeEventListener('abort', onAbort)
      reject(error)
    }
    function onAbort(): void {
      request.destroy(abortError())
    }
    signal?.addEventListener('abort', onAbort)
    request.on('error', fail)
    const body = init.body
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) request.end(body)
    else body.pipe(request)
  })
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), {name: 'AbortError'})
}
