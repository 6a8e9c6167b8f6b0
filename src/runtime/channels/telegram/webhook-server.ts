/**
 * Webhook mode's listener (telegram.md §5): POST only (405), the configured path (404), the
 * `X-Telegram-Bot-Api-Secret-Token` header compared in constant time (401), body ≤ 1 MiB (413),
 * JSON (400); then the update goes through the same acceptance path as polling and Telegram gets
 * `200 {}` only after that path returned (500 otherwise, so Telegram sends it again).
 * v1 gives each account its own listener on webhookHost:webhookPort.
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

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown = {}) => {
      res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body))
    }
    if (req.method !== 'POST') return answer(405, {error: 'POST only'})
    if (new URL(req.url ?? '/', 'http://x').pathname !== options.path) return answer(404, {error: 'not found'})
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'] as string | undefined, options.secret)) {
      options.onRefused('secret token mismatch')
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
      options.accept(update).then(() => answer(200), () => answer(500, {error: 'not committed'}))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      // In-flight requests get up to 5 s (§5), then their sockets are cut.
      const cut = setTimeout(() => server.closeAllConnections(), 5000)
      server.close(() => {
        clearTimeout(cut)
        resolve()
      })
      server.closeIdleConnections()
    }),
  }
}
