/**
 * Binding one port on several addresses (protocol.md §1.1): one `http.Server` per address, all
 * sharing the handlers. A failed bind closes what was bound and throws an AppError the
 * `gateway run` lifecycle can branch on (`details.errno`).
 *
 * Each address listens with a plain `net.Server` in front of the HTTP parser, so a socket over
 * the per-address budget is answered 503 and closed before it costs a parser; the HTTP timeouts
 * are seconds, not Node's minute, so idle and slowloris sockets do not hold file descriptors
 * (issue 6, defect 2); malformed and oversized requests get 400/431 like Node's default handler.
 */
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import type {Duplex} from 'node:stream'

import {AppError} from '../../errors/app-error.js'
import {formatHostPort, isLoopbackAddress} from './net-address.js'

export interface ListenHandlers {
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): void
  onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void
  /** A new TCP connection; false refuses it (503, then closed). */
  onConnection?(socket: net.Socket): boolean
  timeouts?: Partial<HttpTimeouts>
}

/** HTTP timeouts of the gateway port, ms: a request's headers must arrive within 10 s, the whole request within 15 s. */
export const HTTP_TIMEOUTS = Object.freeze({headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000})
export type HttpTimeouts = {[K in keyof typeof HTTP_TIMEOUTS]: number}
/** How long a refused socket may take to read our 503 before it is dropped, ms. */
const REFUSED_LINGER_MS = 1_000

export interface Listeners {
  port: number
  /** Stops accepting new connections; open ones are untouched. */
  stopAccepting(): void
  /** Resolves once every server has closed; drops remaining HTTP connections. */
  close(): Promise<void>
}

function bindError(error: NodeJS.ErrnoException, host: string, port: number): AppError {
  const details = {errno: error.code ?? 'UNKNOWN', host, port}
  if (error.code === 'EADDRINUSE') {
    return new AppError('GATEWAY_PORT_IN_USE', `port ${port} is in use by another program; free it or pick another port: openclaw config set gateway.port ${port + 1}`, {details, cause: error})
  }
  if (error.code === 'EADDRNOTAVAIL') {
    return new AppError('GATEWAY_CONFIG', `${host} is not an address of this host (gateway.customBindHost)`, {details, cause: error})
  }
  return new AppError('INTERNAL', `cannot listen on ${formatHostPort(host, port)}: ${error.message}`, {details, cause: error})
}

/** A complete HTTP response that closes the connection. */
export function rawHttpResponse(status: number, text: string, body: unknown): string {
  const json = JSON.stringify(body)
  return `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`
}

/** Sends the response and drops the socket once it is out (or after a short linger for a peer that never reads). */
function answerAndClose(socket: Duplex, response: string): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  // Read and discard what the peer still sends, so closing does not reset the connection before it reads our answer.
  socket.resume()
  socket.end(response)
  socket.once('end', () => socket.destroy())
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref()
}

/** Node's default `clientError` answers, with our JSON body: 431 for oversized headers, 408 for a timeout, else 400. */
export function clientErrorResponse(code: string | undefined): string | undefined {
  if (code === 'ECONNRESET' || code === 'EPIPE') return undefined
  if (code === 'HPE_HEADER_OVERFLOW') return rawHttpResponse(431, 'Request Header Fields Too Large', {error: 'request header fields too large'})
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return rawHttpResponse(408, 'Request Timeout', {error: 'request timeout'})
  return rawHttpResponse(400, 'Bad Request', {error: 'bad request'})
}

function onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const response = clientErrorResponse(error.code)
  // A response may already be partly written (a keep-alive reply): then only closing is safe.
  const started = (socket as Duplex & {_httpMessage?: {headersSent?: boolean}})._httpMessage?.headersSent === true
  if (response === undefined || started) socket.destroy()
  else answerAndClose(socket, response)
}

function listenOne(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(bindError(error, host, port))
    server.once('error', onError)
    server.listen({host, port, exclusive: true}, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

interface Bound {
  front: net.Server
  http: http.Server
  closed: Promise<void>
}

function closeServer(bound: Bound): Promise<void> {
  if (bound.front.listening) bound.front.close()
  // Stops the parser's timeout sweep (started below); the HTTP server itself never listened.
  bound.http.close()
  bound.http.closeAllConnections()
  return bound.closed
}

/** Binds `hosts` in order on `port` (0: the first bind picks one for all). */
export async function listenAll(hosts: readonly string[], port: number, handlers: ListenHandlers): Promise<Listeners> {
  const servers: Bound[] = []
  let bound = port
  try {
    for (const host of hosts) {
      const server = http.createServer({...HTTP_TIMEOUTS, ...handlers.timeouts}, handlers.onRequest)
      server.on('upgrade', handlers.onUpgrade)
      server.on('clientError', onClientError)
      // The HTTP server's own socket options, since its sockets now come from this listener.
      const front = net.createServer({allowHalfOpen: true, noDelay: true}, (socket) => {
        if (handlers.onConnection !== undefined && !handlers.onConnection(socket)) {
          socket.on('error', () => socket.destroy())
          answerAndClose(socket, rawHttpResponse(503, 'Service Unavailable', {error: 'too many unauthenticated connections'}))
          return
        }
        server.emit('connection', socket)
      })
      // 'close' fires once the listener stopped and its last connection ended.
      servers.push({front, http: server, closed: new Promise((resolve) => front.once('close', () => resolve()))})
      bound = await listenOne(front, host, bound)
      // Node starts the header/request timeout sweep on 'listening'; connections reach this server through `front`.
      server.emit('listening')
    }
  } catch (error) {
    await Promise.all(servers.filter((s) => s.front.listening).map((s) => closeServer(s)))
    throw error
  }
  return {
    port: bound,
    stopAccepting: () => {
      for (const {front} of servers) if (front.listening) front.close()
    },
    close: async () => {
      await Promise.all(servers.map((s) => closeServer(s)))
    },
  }
}

/**
 * Browser origins that count as the gateway's own (§1.1): `http://<address>:<port>` for every
 * bound address (every interface address for a wildcard bind), `localhost` when bound on
 * loopback, plus configured extras. Lower-case, no trailing slash.
 */
export function allowedOrigins(hosts: readonly string[], port: number, extra: readonly string[]): Set<string> {
  const names = new Set<string>()
  for (const host of hosts) {
    if (host === '0.0.0.0' || host === '::') {
      for (const list of Object.values(os.networkInterfaces())) for (const entry of list ?? []) names.add(entry.address)
    } else {
      names.add(host)
    }
  }
  if ([...names].some((name) => isLoopbackAddress(name))) names.add('localhost')
  const origins = new Set([...names].map((name) => `http://${formatHostPort(name, port)}`.toLowerCase()))
  for (const origin of extra) origins.add(origin.replace(/\/+$/, '').toLowerCase())
  return origins
}
