/**
 * The HTTP side of the gateway port (protocol.md §1.2): liveness and readiness probes, 405 for
 * other methods on them, 404 elsewhere. Every body is JSON with `Cache-Control: no-store`.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

import {bearerMatches, type GatewayAuthSettings} from './auth.js'
import {isLoopbackClient} from './net-address.js'

export interface Readiness {
  ready: boolean
  /** Unready components: `startup`, `draining`, `sessions`, `channel:<id>:<account>`. */
  failing: string[]
  uptimeMs: number
}

export interface HttpRouteDeps {
  readiness(): Readiness
  auth: GatewayAuthSettings
}

const LIVENESS_PATHS = new Set(['/health', '/healthz'])
const READINESS_PATHS = new Set(['/ready', '/readyz'])

/** The path of a request target: origin-form, or absolute-form (`http://host/health`), which servers MUST accept (RFC 9112 §3.2.2). */
export function pathOf(url: string | undefined): string {
  let raw = url ?? '/'
  if (!raw.startsWith('/')) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(raw)
    if (scheme !== null) raw = raw.slice(scheme[0].length) || '/'
  }
  const q = raw.indexOf('?')
  return q === -1 ? raw : raw.slice(0, q)
}

/** True for paths an HTTP route owns; WebSocket upgrades are accepted on every other path. */
export function httpOwnsPath(url: string | undefined): boolean {
  const path = pathOf(url)
  return LIVENESS_PATHS.has(path) || READINESS_PATHS.has(path)
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  })
  res.end(req.method === 'HEAD' ? undefined : text)
}

/** Answers one HTTP request. Never throws. */
export function handleHttpRequest(req: IncomingMessage, res: ServerResponse, deps: HttpRouteDeps): void {
  const path = pathOf(req.url)
  const probe = LIVENESS_PATHS.has(path) ? 'live' : READINESS_PATHS.has(path) ? 'ready' : undefined
  if (probe === undefined) {
    reply(req, res, 404, {error: 'not found'})
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(req, res, 405, {error: 'method not allowed'}, {Allow: 'GET, HEAD'})
    return
  }
  if (probe === 'live') {
    reply(req, res, 200, {ok: true, status: 'live'})
    return
  }
  const readiness = deps.readiness()
  const detailed = isLoopbackClient(req.socket.remoteAddress, req.headers) || bearerMatches(deps.auth, req.headers.authorization)
  const body = detailed ? {ready: readiness.ready, failing: readiness.failing, uptimeMs: readiness.uptimeMs} : {ready: readiness.ready}
  reply(req, res, readiness.ready ? 200 : 503, body)
}
