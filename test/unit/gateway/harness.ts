/**
 * Test harness: a real gateway server on 127.0.0.1 port 0 and a minimal real `ws` client that
 * records every frame and the close. Every wait is bounded.
 */
import WebSocket from 'ws'

import {startGatewayServer, type GatewayServer, type GatewayServerOptions} from '../../../src/runtime/gateway/server/server.js'

export const TOKEN = 'test-token-123'

export interface LogLine {
  level: string
  message: string
  fields?: Record<string, unknown>
}

export function memoryLogger(): {logger: GatewayServerOptions['logger']; lines: LogLine[]} {
  const lines: LogLine[] = []
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({level, message, fields})
  return {lines, logger: {debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error')}}
}

export async function startTestServer(overrides: Partial<GatewayServerOptions> = {}): Promise<{server: GatewayServer; url: string; logs: LogLine[]}> {
  const {logger, lines} = memoryLogger()
  const server = await startGatewayServer({
    hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger, ...overrides,
  })
  return {server, url: `ws://127.0.0.1:${server.port}/`, logs: lines}
}

/** The connect params our CLI sends (§9 step 4), with overrides merged at the top level. */
export function connectParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    minProtocol: 3, maxProtocol: 4,
    client: {id: 'cli', version: '1.0.0', platform: process.platform, mode: 'cli', instanceId: 'inst-1'},
    role: 'operator', scopes: ['operator.admin'], caps: [], auth: {token: TOKEN},
    ...overrides,
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = any

export class TestClient {
  readonly frames: Frame[] = []
  readonly closed: Promise<{code: number; reason: string}>
  private waiters: Array<() => void> = []
  private counter = 0

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? {binary: true} : JSON.parse(data.toString()))
      for (const wake of this.waiters.splice(0)) wake()
    })
    ws.on('error', () => undefined)
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({code, reason: reason.toString()})
      for (const wake of this.waiters.splice(0)) wake()
    }))
  }

  /** Opens a socket; `headers` go on the upgrade request. */
  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {headers, perMessageDeflate: false})
      ws.once('open', () => resolve(new TestClient(ws)))
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), {status: res.statusCode})))
      ws.once('error', reject)
    })
  }

  /** Waits (≤ timeoutMs) for a frame matching `match` that arrived at or after index `from`. */
  async next(match: (frame: Frame) => boolean, timeoutMs = 3000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.frames.slice(from).find(match)
      if (found !== undefined) return found
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed before a matching frame; got ${JSON.stringify(this.frames)}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for a frame; got ${JSON.stringify(this.frames)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  challenge(): Promise<Frame> {
    return this.next((f) => f.type === 'event' && f.event === 'connect.challenge')
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame))
  }

  /** Sends a `req` and waits for its `res`. */
  async request(method: string, params?: unknown, id = `r${++this.counter}`): Promise<Frame> {
    this.send(params === undefined ? {type: 'req', id, method} : {type: 'req', id, method, params})
    return this.next((f) => f.type === 'res' && f.id === id)
  }

  async closeAndWait(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000)
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2000))])
  }
}

/** Opens, answers the challenge with `connect`, and returns the client and its connect response. */
export async function connectClient(url: string, params: Record<string, unknown> = connectParams(), headers: Record<string, string> = {}): Promise<{client: TestClient; res: Frame}> {
  const client = await TestClient.open(url, headers)
  await client.challenge()
  const res = await client.request('connect', params, 'connect-1')
  return {client, res}
}

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes. */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
