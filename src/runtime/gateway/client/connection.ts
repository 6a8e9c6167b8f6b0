/**
 * One authenticated gateway socket after `hello-ok`: concurrent requests matched to responses by
 * id, `--expect-final` (protocol §6.6), events, the optional tick watchdog (§5), and close.
 */
import {randomUUID} from 'node:crypto'

import WebSocket from 'ws'

import type {AppError} from '../../errors/app-error.js'
import {closedError, requestFailed, socketError, timeoutError} from './errors.js'
import {parseServerFrame, type GatewayEvent, type GatewayHello} from './frames.js'
import {CLOSE_CODES, CLOSE_REASONS} from '../protocol/frames.js'

/** Default budget of one call (protocol §9 step 3), and with `--expect-final`. */
export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_EXPECT_FINAL_TIMEOUT_MS = 600_000

/** How long a close waits for the server's close frame before dropping the socket. */
const CLOSE_GRACE_MS = 1000

export interface RequestOptions {
  /** Treat a response with `payload.status: "accepted"` as interim and wait for the final one (§6.6). */
  expectFinal?: boolean
  /** Per-request budget in ms; default 10 000, or 600 000 with `expectFinal`. */
  timeoutMs?: number
  /** The budget a timeout message names (callers that pass what is left of a larger budget); default `timeoutMs`. */
  budgetMs?: number
  /** Called with the interim `accepted` payload under `expectFinal`. */
  onAccepted?: (payload: unknown) => void
}

/** One authenticated socket. Requests run concurrently; `close()` ends it with 1000. */
export interface GatewayConnection {
  readonly url: string
  readonly hello: GatewayHello
  /** Sends a `req` and resolves with its `payload`; rejects with an AppError (GATEWAY_REQUEST_FAILED, _TIMEOUT, _CLOSED). */
  request<T = unknown>(method: string, params?: unknown, options?: RequestOptions): Promise<T>
  /** Subscribes to events after `hello-ok`; returns the unsubscribe function. */
  onEvent(listener: (event: GatewayEvent) => void): () => void
  /** Called once when the socket closes, by either side. */
  onClose(listener: (info: {code: number; reason: string}) => void): () => void
  close(): void
}

interface Pending {
  method: string
  expectFinal: boolean
  timer: NodeJS.Timeout
  onAccepted?: (payload: unknown) => void
  resolve(payload: unknown): void
  reject(error: AppError): void
}

/** Built by the handshake once `hello-ok` arrived; takes over the socket's message and close events. */
export class Connection implements GatewayConnection {
  private readonly pending = new Map<string, Pending>()
  private readonly eventListeners = new Set<(event: GatewayEvent) => void>()
  private readonly closeListeners = new Set<(info: {code: number; reason: string}) => void>()
  private closedWith: {code: number; reason: string} | undefined
  private lastInboundAt = Date.now()
  private watchdogTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly ws: WebSocket,
    readonly url: string,
    readonly hello: GatewayHello,
    watchdog: boolean,
  ) {
    ws.on('message', (data, isBinary) => this.receive(parseServerFrame(data, isBinary)))
    ws.on('close', (code, reason) => this.closed(code, reason.toString()))
    if (watchdog) {
      const silenceMs = 2 * hello.policy.tickIntervalMs
      this.watchdogTimer = setInterval(() => {
        if (Date.now() - this.lastInboundAt > silenceMs) shut(ws, CLOSE_CODES.tickTimeout, CLOSE_REASONS.tickTimeout)
      }, hello.policy.tickIntervalMs).unref()
    }
  }

  request<T = unknown>(method: string, params?: unknown, options: RequestOptions = {}): Promise<T> {
    if (this.closedWith !== undefined) return Promise.reject(closedError(this.url, 'request', this.closedWith.code, this.closedWith.reason))
    const expectFinal = options.expectFinal === true
    const timeoutMs = options.timeoutMs ?? (expectFinal ? DEFAULT_EXPECT_FINAL_TIMEOUT_MS : DEFAULT_TIMEOUT_MS)
    const id = randomUUID()
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const accepted = this.pending.get(id)?.expectFinal === true && expectFinal
        this.pending.delete(id)
        reject(timeoutError(this.url, 'request', options.budgetMs ?? timeoutMs, `${accepted ? 'the final ' : 'the '}${method} response`))
      }, timeoutMs)
      this.pending.set(id, {method, expectFinal, timer, onAccepted: options.onAccepted, resolve: resolve as (p: unknown) => void, reject})
      const frame = params === undefined ? {type: 'req', id, method} : {type: 'req', id, method, params}
      this.ws.send(JSON.stringify(frame), (error) => {
        if (error) this.finish(id, () => socketError(this.url, error))
      })
    })
  }

  onEvent(listener: (event: GatewayEvent) => void): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  onClose(listener: (info: {code: number; reason: string}) => void): () => void {
    this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  close(): void {
    if (this.closedWith === undefined) shut(this.ws, CLOSE_CODES.normal, '')
  }

  private receive(frame: ReturnType<typeof parseServerFrame>): void {
    this.lastInboundAt = Date.now()
    if (frame === null || frame.type === 'ignored') return
    if (frame.type === 'event') {
      for (const listener of this.eventListeners) listener(frame)
      return
    }
    const pending = this.pending.get(frame.id)
    if (pending === undefined) return
    if (frame.ok && pending.expectFinal && isAccepted(frame.payload)) {
      pending.onAccepted?.(frame.payload)
      return
    }
    if (frame.ok) this.finish(frame.id, undefined, frame.payload ?? null)
    else this.finish(frame.id, () => requestFailed(pending.method, frame.error, frame.payload, this.hello.features.methods))
  }

  private finish(id: string, error: (() => AppError) | undefined, payload?: unknown): void {
    const pending = this.pending.get(id)
    if (pending === undefined) return
    this.pending.delete(id)
    clearTimeout(pending.timer)
    if (error === undefined) pending.resolve(payload)
    else pending.reject(error())
  }

  private closed(code: number, reason: string): void {
    if (this.closedWith !== undefined) return
    this.closedWith = {code, reason}
    clearInterval(this.watchdogTimer)
    for (const id of [...this.pending.keys()]) this.finish(id, () => closedError(this.url, 'request', code, reason))
    for (const listener of this.closeListeners) listener({code, reason})
  }
}

function isAccepted(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as {status?: unknown}).status === 'accepted'
}

/**
 * Ends a socket in any state without throwing (close() on a CONNECTING socket throws), and drops
 * it if the server does not answer the close frame soon: ws would wait 30 s, a CLI should not.
 */
export function shut(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CONNECTING) return ws.terminate()
  if (ws.readyState !== WebSocket.OPEN) return
  ws.close(code, reason)
  const grace = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
  ws.once('close', () => clearTimeout(grace))
}
