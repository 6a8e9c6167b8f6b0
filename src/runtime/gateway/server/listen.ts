/**
 * Binding one port on several addresses (protocol.md §1.1): one `http.Server` per address, all
 * sharing the handlers. A failed bind closes what was bound and throws an AppError the
 * `gateway run` lifecycle can branch on (`details.errno`).
 */
import http from 'node:http'
import os from 'node:os'
import type {Duplex} from 'node:stream'

import {AppError} from '../../errors/app-error.js'
import {formatHostPort, isLoopbackAddress} from './net-address.js'

export interface ListenHandlers {
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): void
  onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void
}

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

function listenOne(server: http.Server, host: string, port: number): Promise<number> {
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

function closeServer(server: http.Server, closed: Promise<void>): Promise<void> {
  if (server.listening) server.close()
  server.closeAllConnections()
  return closed
}

/** Binds `hosts` in order on `port` (0: the first bind picks one for all). */
export async function listenAll(hosts: readonly string[], port: number, handlers: ListenHandlers): Promise<Listeners> {
  const servers: Array<{server: http.Server; closed: Promise<void>}> = []
  let bound = port
  try {
    for (const host of hosts) {
      const server = http.createServer(handlers.onRequest)
      server.on('upgrade', handlers.onUpgrade)
      server.on('clientError', (_error, socket) => socket.destroy())
      // 'close' fires once the server stopped listening and its last connection ended.
      servers.push({server, closed: new Promise((resolve) => server.once('close', () => resolve()))})
      bound = await listenOne(server, host, bound)
    }
  } catch (error) {
    await Promise.all(servers.filter((s) => s.server.listening).map((s) => closeServer(s.server, s.closed)))
    throw error
  }
  return {
    port: bound,
    stopAccepting: () => {
      for (const {server} of servers) if (server.listening) server.close()
    },
    close: async () => {
      await Promise.all(servers.map((s) => closeServer(s.server, s.closed)))
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
