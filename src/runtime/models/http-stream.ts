import {isAppError} from '../errors/app-error.js'
import {errorBodyMessage, kindForHttpError, modelError, parseRetryAfter} from './model-error.js'
import type {ResolvedModel} from './provider.js'
import {SseParser, type SseEvent} from './sse.js'

/**
 * The reason a request is cancelled with once its consumer is done with the body: a given reason
 * spares the DOMException (and its stack trace) that a bare `abort()` builds on every turn.
 */
const BODY_DONE = 'model stream consumed'

/** Error bodies are read up to this size; the message is all we need. */
const MAX_ERROR_BODY = 64 * 1024

export interface PostOptions {
  url: string
  headers: Record<string, string>
  body: unknown
  model: ResolvedModel
  /** The run's signal: aborting it cancels the request (kind `aborted`). */
  signal: AbortSignal
}

/**
 * One model HTTP request with the platform `fetch` (undici): no SDK, no extra dependency. The
 * idle timer covers the wait for headers and every gap between body chunks; when it fires the
 * request is cancelled and a `timeout` error (retryable) is thrown. Network failures name the
 * URL; HTTP errors carry status, Retry-After and the provider's own message.
 */
export class ModelHttpRequest {
  private readonly controller = new AbortController()
  private timer: NodeJS.Timeout | undefined
  private idleFired = false
  private readonly onAbort = () => this.controller.abort(this.options.signal.reason)

  constructor(private readonly options: PostOptions) {}

  private touch(): void {
    // refresh() re-arms the same timer: no new timer object per body chunk.
    this.timer = this.timer?.refresh() ?? setTimeout(() => {
      this.idleFired = true
      this.controller.abort()
    }, this.options.model.idleTimeoutMs)
  }

  private done(): void {
    clearTimeout(this.timer)
    this.options.signal.removeEventListener('abort', this.onAbort)
  }

  /** Maps a failure of fetch or of a body read to the right model error. */
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
    const cause = (error as {cause?: {code?: string; message?: string}})?.cause
    const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
    if (phase === 'stream') return modelError(`model stream from ${url} broke off: ${reason}`, {kind: 'network', ...details}, {cause: error})
    return modelError(`cannot reach model server ${url}: ${reason}`, {kind: 'network', ...details}, {
      hint: model.local ? [`Start the model server at ${model.baseUrl}`, `Or point to it: openclaw config set models.providers.${model.provider}.baseUrl <url>`] : [`Check the network, or the URL: openclaw config get models.providers.${model.provider}.baseUrl`],
      cause: error,
    })
  }

  /** Sends the request; resolves with the OK response or throws the mapped error. */
  async send(): Promise<Response> {
    const {signal, url, headers, body, model} = this.options
    if (signal.aborted) throw this.failure(signal.reason)
    signal.addEventListener('abort', this.onAbort, {once: true})
    this.touch()
    let response: Response
    try {
      response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(body), signal: this.controller.signal})
    } catch (error) {
      this.done()
      throw this.failure(error)
    }
    if (response.ok) return response
    let text: string
    try {
      text = (await response.text()).slice(0, MAX_ERROR_BODY)
    } catch (error) {
      this.done()
      throw this.failure(error)
    }
    this.done()
    const kind = kindForHttpError(response.status, text)
    const retryAfterMs = parseRetryAfter(response.headers, Date.now())
    throw modelError(`${model.provider} answered ${response.status}: ${errorBodyMessage(text)}`, {kind, status: response.status, retryAfterMs, provider: model.provider, model: model.model, url})
  }

  /** The response body as SSE events; the idle timer is reset by every chunk. */
  async *events(response: Response): AsyncGenerator<SseEvent> {
    const parser = new SseParser()
    const decoder = new TextDecoder()
    const reader = response.body?.getReader()
    if (reader === undefined) return
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>
        try {
          chunk = await reader.read()
        } catch (error) {
          throw this.failure(error, 'stream')
        }
        if (chunk.done) break
        this.touch()
        yield* parser.push(decoder.decode(chunk.value, {stream: true}))
      }
      yield* parser.end()
    } finally {
      this.done()
      reader.releaseLock()
      if (!this.controller.signal.aborted) this.controller.abort(BODY_DONE)
    }
  }

  /** The whole response body as JSON (for `stream: false` requests). */
  async json(response: Response): Promise<unknown> {
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw this.failure(error, 'stream')
    } finally {
      this.done()
    }
    try {
      return JSON.parse(text)
    } catch {
      const {model, url} = this.options
      throw modelError(`${model.provider} sent a response that is not JSON`, {kind: 'server', provider: model.provider, model: model.model, url})
    }
  }
}
