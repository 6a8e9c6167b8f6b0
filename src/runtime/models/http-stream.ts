import http, {type IncomingMessage} from 'node:http'
import https from 'node:https'

import {isAppError} from '../errors/app-error.js'
import type {HttpAgents} from '../net/http-agents.js'
import {ResponseChunks} from '../net/response-chunks.js'
import {errorBodyMessage, kindForHttpError, modelError, parseRetryAfter} from './model-error.js'
import type {ResolvedModel} from './provider.js'
import {SseParser, type SseEvent} from './sse.js'

/** Error bodies are read up to this size; the message is all we need. */
const MAX_ERROR_BODY = 64 * 1024

/** Errors of a kept-alive socket the server had closed while it sat idle: the request never reached it. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE'])

export interface PostOptions {
  url: string
  headers: Record<string, string>
  /** The JSON body, serialised once by the request builder. */
  body: string
  model: ResolvedModel
  /** The run's signal: aborting it cancels the request (kind `aborted`). */
  signal: AbortSignal
  /** Keep-alive agents of the runner; without them Node's global agent is used. */
  agents?: HttpAgents
}

/**
 * One model HTTP request over node:http(s) on a keep-alive agent per origin: no SDK, no extra
 * dependency, no web streams. The idle timer covers the wait for headers and every gap between
 * body chunks; when it fires the request is destroyed and a `timeout` error (retryable) is thrown.
 * Network failures name the URL and the cause's code; HTTP errors carry status, Retry-After and
 * the provider's own message.
 */
export class ModelHttpRequest {
  private readonly target: URL
  private request: http.ClientRequest | undefined
  private timer: NodeJS.Timeout | undefined
  private idleFired = false
  private readonly onAbort = () => this.request?.destroy()

  constructor(private readonly options: PostOptions) {
    this.target = new URL(options.url)
  }

  private touch(): void {
    // refresh() re-arms the same timer: no new timer object per body chunk.
    this.timer = this.timer?.refresh() ?? setTimeout(() => {
      this.idleFired = true
      this.request?.destroy()
    }, this.options.model.idleTimeoutMs)
  }

  private done(): void {
    clearTimeout(this.timer)
    this.options.signal.removeEventListener('abort', this.onAbort)
  }

  /** Maps a failure of the request or of a body read to the right model error. */
  private failure(error: unknown, phase: 'connect' | 'stream' = 'connect'): Error {
    const {model, url} = this.options
    const details = {provider: model.provider, model: model.model, url}
    if (this.options.signal.aborted) return modelError('model request aborted', {kind: 'aborted', ...details}, {cause: error})
    if (this.idleFired) {
      return modelError(`model stream idle for ${Math.round(model.idleTimeoutMs / 1000)}s (no bytes from ${url})`, {kind: 'timeout', ...details}, {
        hint: [`Raise the idle timeout: openclaw config set models.providers.${model.provider}.timeoutSeconds 300`],
        cause: error,
      })
    }
    if (isAppError(error)) return error
    const reason = errorReason(error)
    if (phase === 'stream') return modelError(`model stream from ${url} broke off: ${reason}`, {kind: 'network', ...details}, {cause: error})
    const hint = /CERT|SSL|TLS|VERIFY/.test(reason)
      ? [`The server's TLS certificate was rejected; if your own CA signed it: export NODE_EXTRA_CA_CERTS=<CA .pem file> in the environment the CLI or the gateway starts from`, `Or check the URL: openclaw config get models.providers.${model.provider}.baseUrl`]
      : model.local
        ? [`Start the model server at ${model.baseUrl}`, `Or point to it: openclaw config set models.providers.${model.provider}.baseUrl <url>`]
        : [`Check the network, or the URL: openclaw config get models.providers.${model.provider}.baseUrl`]
    return modelError(`cannot reach model server ${url}: ${reason}`, {kind: 'network', ...details}, {hint, cause: error})
  }

  /** Sends the request; resolves with the OK response or throws the mapped error. */
  async send(): Promise<IncomingMessage> {
    const {signal, url, model} = this.options
    if (signal.aborted) throw this.failure(signal.reason)
    signal.addEventListener('abort', this.onAbort, {once: true})
    this.touch()
    let response: IncomingMessage
    try {
      response = await this.open(true)
    } catch (error) {
      this.done()
      throw this.failure(error)
    }
    const status = response.statusCode ?? 0
    if (status >= 200 && status < 300) return response
    const body = new ResponseChunks(response, () => this.touch())
    let text: string
    try {
      text = await body.text(MAX_ERROR_BODY)
    } catch (error) {
      throw this.failure(error)
    } finally {
      this.release(response, body)
    }
    const location = headerValue(response.headers.location)
    if (status >= 300 && status < 400 && location !== undefined) {
      // fetch used to follow redirects; a model API that moved is a config fix, not something to chase per request.
      throw modelError(`${model.provider} answered ${status}: the API moved to ${resolveLocation(location, url)}`, {kind: 'bad_request', status, provider: model.provider, model: model.model, url}, {
        hint: [`Point the provider at the new address: openclaw config set models.providers.${model.provider}.baseUrl <new base URL>`],
      })
    }
    const kind = kindForHttpError(status, text)
    const retryAfterMs = parseRetryAfter((name) => headerValue(response.headers[name]), Date.now())
    throw modelError(`${model.provider} answered ${status}: ${errorBodyMessage(text)}`, {kind, status, retryAfterMs, provider: model.provider, model: model.model, url})
  }

  /** Writes the request; on a stale kept-alive socket it is sent once more on a new one. */
  private open(retryStale: boolean): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const {headers, body, agents} = this.options
      const transport = this.target.protocol === 'https:' ? https : http
      const request = transport.request(this.target, {method: 'POST', headers: {'content-type': 'application/json', 'user-agent': 'openclaw', ...headers}, agent: agents?.forUrl(this.target)}, resolve)
      this.request = request
      // Kept for the request's life: a socket error after the answer began must not go unhandled.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (retryStale && request.reusedSocket && STALE_SOCKET.has(error.code ?? '') && !this.options.signal.aborted && !this.idleFired) resolve(this.open(false))
        else reject(error)
      })
      request.end(body)
    })
  }

  /** Done with a response: a whole body lets the socket go back to the pool, a partial one closes it. */
  private release(response: IncomingMessage, body: ResponseChunks): void {
    this.done()
    body.detach()
    if (response.complete) response.resume()
    else this.request?.destroy()
  }

  /** The response body as SSE events; the idle timer is reset by every chunk. */
  async *events(response: IncomingMessage): AsyncGenerator<SseEvent> {
    const parser = new SseParser()
    const body = new ResponseChunks(response, () => this.touch())
    try {
      for (;;) {
        let chunk: string | undefined
        try {
          chunk = await body.next()
        } catch (error) {
          throw this.failure(error, 'stream')
        }
        if (chunk === undefined) break
        yield* parser.push(chunk)
      }
      yield* parser.end()
    } finally {
      this.release(response, body)
    }
  }

  /** The whole response body as JSON (for `stream: false` requests). */
  async json(response: IncomingMessage): Promise<unknown> {
    const body = new ResponseChunks(response, () => this.touch())
    let text: string
    try {
      text = await body.text()
    } catch (error) {
      throw this.failure(error, 'stream')
    } finally {
      this.release(response, body)
    }
    try {
      return JSON.parse(text)
    } catch {
      const {model, url} = this.options
      throw modelError(`${model.provider} sent a response that is not JSON`, {kind: 'server', provider: model.provider, model: model.model, url})
    }
  }
}

/** The system code of a request failure (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …), else its message. */
function errorReason(error: unknown): string {
  const direct = error as {code?: unknown; message?: unknown; cause?: {code?: unknown; message?: unknown}}
  for (const value of [direct?.code, direct?.cause?.code, direct?.cause?.message, direct?.message]) {
    if (typeof value === 'string' && value !== '') return value
  }
  return String(error)
}

function resolveLocation(location: string, base: string): string {
  try {
    return new URL(location, base).href
  } catch {
    return location
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
