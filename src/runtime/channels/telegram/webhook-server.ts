/**
 * Webhook mode's listener (telegram.md §5): POST only (405), the configured path (404), the
 * `X-Telegram-Bot-Api-Secret-Token` header compared in constant time (401), body ≤ 1 MiB (413),
 * JSON (400); then the update goes through the same acceptance path as polling and Telegram gets
 * `200 {}` only after that path returned (500 otherwise, so Telegram sends it again).
 * Accounts on the same webhookHost:webhookPort share one listener, routed by path (`WebhookListeners`).
 */
import {createHash, timingSafeEqual} from 'node:crypto'
import http from 'node:http'
import type {AddressInfo} from 'node:net'

const MAX_BODY = 1024 * 1024

/** Constant-time equality of the header and the secret (hashing first makes the lengths equal). */
export function secretMatches(header: string | undefined, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return header !== undefined && timingSafeEqual(digest(header), digest(secret))
}

export interface WebhookServerOptions {
  host: string
  port: number
  path: string
  secret: string
  accept(update: Record<string, unknown> & {update_id: number}): Promise<void>
  onRefused(reason: string): void
}

export interface WebhookServer {
  port: number
  close(): Promise<void>
}

type Route = Pick<WebhookServerOptions, 'secret' | 'accept' | 'onRefused'>
interface Listener {server: http.Server; routes: Map<string, Route>; ready: Promise<void>}

/**
 * The webhook listeners of one channel (telegram.md §5): one `node:http` server per host:port,
 * shared by every account configured there and routed by path; the same path twice is refused for
 * the later account. A listener closes when its last account detaches.
 */
export class WebhookListeners {
  private readonly listeners = new Map<string, Listener>()

  async attach(options: WebhookServerOptions): Promise<WebhookServer> {
    const key = `${options.host}:${options.port}`
    let listener = this.listeners.get(key)
    if (listener?.routes.has(options.path)) throw new Error(`webhook path ${options.path} on ${key} is already used by another account; give this account its own webhookPath`)
    if (listener === undefined) {
      const routes = new Map<string, Route>()
      const server = http.createServer((req, res) => serve(routes, req, res))
      const ready = new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(options.port, options.host, () => resolve())
      })
      listener = {server, routes, ready}
      this.listeners.set(key, listener)
      try {
        await ready
      } catch (error) {
        this.listeners.delete(key)
        throw error
      }
    } else await listener.ready
    const {server, routes} = listener
    routes.set(options.path, options)
    return {
      port: (server.address() as AddressInfo).port,
      close: async () => {
        if (routes.get(options.path) !== options) return
        routes.delete(options.path)
        if (routes.size > 0) return
        this.listeners.delete(key)
        await closeServer(server)
      },
    }
  }
}

/** One listener of its own (tests, and a runner outside a channel). */
export function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  return new WebhookListeners().attach(options)
}

function serve(routes: Map<string, Route>, req: http.IncomingMessage, res: http.ServerResponse): void {
  const answer = (status: number, body: unknown = {}) => {
    res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body))
  }
  if (req.method !== 'POST') return answer(405, {error: 'POST only'})
  const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname)
  if (route === undefined) return answer(404, {error: 'not found'})
  if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'] as string | undefined, route.secret)) {
    route.onRefused('secret token mismatch')
    req.resume()
    return answer(401, {error: 'unauthorized'})
  }
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_BODY) {
      answer(413, {error: 'body too large'})
      req.destroy()
    } else chunks.push(chunk)
  })
  req.on('end', () => {
    if (size > MAX_BODY) return
    let update: Record<string, unknown> & {update_id: number}
    try {
      update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof update
      if (typeof update?.update_id !== 'number') throw new Error('no update_id')
    } catch {
      return answer(400, {error: 'invalid update'})
    }
    route.accept(update).then(() => answer(200), () => answer(500, {error: 'not committed'}))
  })
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    // In-flight requests get up to 5 s (§5), then their sockets are cut.
    const cut = setTimeout(() => server.closeAllConnections(), 5000)
    server.close(() => {
      clearTimeout(cut)
      resolve()
    })
    server.closeIdleConnections()
  })
}
