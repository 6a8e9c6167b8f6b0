/**
 * The gateway server (protocol.md §1–§7, phase 1): HTTP probes and WebSocket RPC on one port,
 * bound on every given address. Holds no module state and installs no signal handlers; the
 * `gateway run` lifecycle owns the process and calls `close()`.
 */
import http from 'node:http'
import os from 'node:os'
import type {Duplex} from 'node:stream'

import {WebSocketServer} from 'ws'

import {AuthRateLimiter} from './auth-rate-limit.js'
import {attachConnection, inboundIo, pingConnections, sweepHandshakes, type ConnectionHub} from './connection-handler.js'
import {SendBudget, type GatewayConnection} from './connection.js'
import {emitEvent} from './events.js'
import type {GatewayPhase} from './handshake.js'
import {emptyHealthSnapshot, HealthCache} from './health-cache.js'
import {handleHttpRequest, httpOwnsPath, type Readiness} from './http-routes.js'
import {LoopTurn} from './inbound-queue.js'
import {MethodRateLimiter} from './method-rate-limit.js'
import {PayloadMemo} from './payload-memo.js'
import {createMethodRegistry} from '../methods/groups.js'
import {formatHostPort, isLoopbackClient, normalizeIp} from './net-address.js'
import {PresenceList} from './presence.js'
import {CLOSE_CODES, CLOSE_REASONS, type ShutdownPayload} from '../protocol/frames.js'
import type {HealthSnapshot} from '../protocol/snapshots.js'
import {RequestGate} from './request-gate.js'
import {resolveServerOptions, type GatewayServerOptions} from './options.js'
import {allowedOrigins, listenAll, rawHttpResponse} from './listen.js'
import {PreauthSockets} from './preauth-sockets.js'
import {RejectLog} from './reject-log.js'
import type {BroadcastOptions, GatewayInfo, GatewayServices} from './services.js'

export type {GatewayServerOptions} from './options.js'

export interface CloseOptions {
  /** `shutdown` event reason (default `gateway stopping`). */
  reason?: string
  /** Sent in the `shutdown` payload when a restart follows. */
  restartExpectedMs?: number
  /** Close code for every socket (default 1012 `service restart`). */
  code?: number
  /** How long in-flight requests and socket close handshakes may take, ms (default 5000). */
  drainMs?: number
}

export interface GatewayServer {
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number
  /** `host:port` of every listening address. */
  readonly addresses: string[]
  /** Authenticated connections. */
  readonly connections: number
  /** Sockets still in the handshake. */
  readonly pendingConnections: number
  readonly services: GatewayServices
  /** Sends an event to every authenticated connection allowed to see it (§7). */
  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void
  /** `starting` refuses connects as retryable; `draining` refuses them and reports `draining`. */
  setPhase(phase: GatewayPhase): void
  /** Marks startup complete: `startup` leaves the failing list and connects are served. */
  setReady(): void
  /** Adds or removes an unready component (`sessions`, `channel:telegram:work`, …). */
  markFailing(component: string, failing: boolean): void
  readiness(): Readiness
  /** Marks the health snapshot stale and re-collects it now (call when its inputs changed); emits `health`. */
  refreshHealth(): Promise<HealthSnapshot>
  /** Emits `shutdown`, closes every socket (1012 by default) and stops listening. Idempotent. */
  close(options?: CloseOptions): Promise<void>
}

/** Presence changes within this window go out as one `presence` event (ms). */
const PRESENCE_COALESCE_MS = 25

function rejectUpgrade(socket: Duplex, status: number, text: string, body: unknown): void {
  socket.end(rawHttpResponse(status, text, body))
  socket.once('finish', () => socket.destroy())
}

/** Binds every host on one port and starts serving. Throws AppError when a bind fails. */
export async function startGatewayServer(input: GatewayServerOptions): Promise<GatewayServer> {
  const options = resolveServerOptions(input)
  const {logger, now} = options
  const registry = options.registry ?? createMethodRegistry()
  let phase: GatewayPhase = options.phase ?? 'running'
  const failing = new Set(options.failing ?? [])
  const handshaking = new Set<GatewayConnection>()
  const open = new Set<GatewayConnection>()

  const info: GatewayInfo = {
    version: options.version, startedAt: options.startedAt, bind: options.info?.bind ?? 'loopback', port: options.port,
    authMode: options.auth.mode, reloadMode: options.info?.reloadMode ?? 'hybrid', configPath: options.info?.configPath,
    stateDir: options.info?.stateDir, sessionDefaults: options.info?.sessionDefaults, modelDefaults: options.info?.modelDefaults,
  }
  const stateVersion = () => ({presence: presence.version, health: health.version})
  const broadcast = (event: string, payload: unknown, opts: BroadcastOptions = {}): void => {
    const withVersion = event === 'presence' || event === 'health'
    emitEvent(open, event, payload, {...opts, stateVersion: withVersion ? stateVersion() : undefined})
  }
  const health = new HealthCache(options.getHealth ?? (() => emptyHealthSnapshot(now())), (snapshot) => broadcast('health', snapshot), now, options.healthRefreshMs)
  const presence = new PresenceList(() => ({
    ts: now(), host: os.hostname(), version: options.version, platform: process.platform, mode: 'gateway', reason: 'self',
  }))
  const services: GatewayServices = {
    info, health, presence, logger, now, broadcast,
    getConfig: () => options.getConfig?.(),
    configRpc: options.configRpc,
    queuedSystemEvents: () => options.queuedSystemEvents?.() ?? [],
    logFile: options.logFile,
    memo: new PayloadMemo(),
  }
  const gate = new RequestGate()
  let presenceTimer: NodeJS.Timeout | undefined
  const dispatch = {registry, services, gate, rateLimiter: new MethodRateLimiter(now)}
  const hub: ConnectionHub = {
    options, handshaking, open, preauth: new PreauthSockets(options.maxPreauthSocketsPerIp), turn: new LoopTurn(),
    rejects: new RejectLog(logger, now),
    sendBudget: new SendBudget(options.maxBufferedBytes),
    inboundIo: inboundIo({options, dispatch}),
    limiter: new AuthRateLimiter(options.rateLimit, now),
    dispatch,
    phase: () => phase,
    publishPresence: () => {
      // Coalesced: a burst of connects/disconnects costs one broadcast, not one per socket.
      presenceTimer ??= setTimeout(() => {
        presenceTimer = undefined
        broadcast('presence', {presence: presence.list()})
      }, PRESENCE_COALESCE_MS)
    },
  }

  const readiness = (): Readiness => {
    const list = [...failing]
    if (phase === 'starting' && !failing.has('startup')) list.unshift('startup')
    if (phase === 'draining') list.push('draining')
    return {ready: list.length === 0, failing: list, uptimeMs: Math.max(0, Math.round(now() - options.startedAt))}
  }

  const wss = new WebSocketServer({noServer: true, perMessageDeflate: false, maxPayload: options.maxPayload, clientTracking: false})
  let origins = new Set<string>()
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy())
    if (httpOwnsPath(req.url)) {
      rejectUpgrade(socket, 400, 'Bad Request', {error: 'websocket upgrades are not served on this path'})
      return
    }
    const ip = normalizeIp(req.socket.remoteAddress)
    const origin = req.headers.origin
    const peer = {ip, loopback: isLoopbackClient(req.socket.remoteAddress, req.headers), origin, originAllowed: origin !== undefined && origins.has(origin.toLowerCase())}
    wss.handleUpgrade(req, socket, head, (ws) => attachConnection(hub, ws, socket, peer))
  }
  const servers = await listenAll(options.hosts, options.port, {
    onRequest: (req, res) => handleHttpRequest(req, res, {readiness, auth: options.auth}),
    onUpgrade,
    timeouts: options.httpTimeouts,
    onConnection: (socket) => {
      if (!hub.preauth.admit(socket, normalizeIp(socket.remoteAddress))) return false
      socket.once('close', () => hub.preauth.release(socket))
      return true
    },
  }).catch((error: unknown) => {
    wss.close()
    throw error
  })
  const port = servers.port
  info.port = port
  origins = allowedOrigins(options.hosts, port, options.allowedOrigins ?? [])
  const addresses = options.hosts.map((host) => formatHostPort(host, port))

  health.refresh().catch((error: unknown) => logger.warn('health snapshot failed', {error: error instanceof Error ? error.message : String(error)}))
  const intervals = [
    setInterval(() => sweepHandshakes(hub, now()), Math.max(10, Math.min(1000, Math.floor(options.handshakeTimeoutMs / 4)))),
    setInterval(() => broadcast('tick', {ts: now()}), options.tickIntervalMs),
    setInterval(() => pingConnections(hub), options.pingIntervalMs),
    setInterval(() => void health.refresh().catch(() => undefined), options.healthRefreshMs),
    setInterval(() => hub.rejects.flush(), options.rejectLogFlushMs),
  ]
  for (const timer of intervals) timer.unref()

  let closing: Promise<void> | undefined
  const close = async (opts: CloseOptions = {}): Promise<void> => {
    phase = 'draining'
    for (const timer of intervals) clearInterval(timer)
    clearTimeout(presenceTimer)
    hub.rejects.flush()
    const drainMs = opts.drainMs ?? 5000
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, drainMs).unref())
    servers.stopAccepting()
    const payload: ShutdownPayload = {reason: opts.reason ?? 'gateway stopping'}
    if (opts.restartExpectedMs !== undefined) payload.restartExpectedMs = opts.restartExpectedMs
    broadcast('shutdown', payload)
    await Promise.race([gate.idle(), deadline])
    const code = opts.code ?? CLOSE_CODES.serviceRestart
    const all = [...open, ...handshaking]
    const closed = all.map((conn) => new Promise<void>((resolve) => {
      if (conn.ws.readyState === 3) resolve()
      else conn.ws.once('close', () => resolve())
    }))
    for (const conn of all) conn.close(code, code === CLOSE_CODES.serviceRestart ? CLOSE_REASONS.serviceRestart : '')
    await Promise.race([Promise.all(closed), deadline])
    for (const conn of all) conn.terminate()
    wss.close()
    await servers.close()
    logger.debug('gateway server closed', {addresses})
  }

  logger.debug('gateway server listening', {addresses})
  return {
    port,
    addresses,
    get connections() {
      return open.size
    },
    get pendingConnections() {
      return handshaking.size
    },
    services,
    broadcast,
    setPhase: (next) => {
      phase = next
    },
    setReady: () => {
      failing.delete('startup')
      if (phase === 'starting') phase = 'running'
    },
    markFailing: (component, isFailing) => {
      if (isFailing === failing.has(component)) return
      if (isFailing) failing.add(component)
      else failing.delete(component)
      // The health view shows the same state (a channel account that just failed): collect it again now.
      void health.invalidate().catch(() => undefined)
    },
    readiness,
    refreshHealth: () => health.invalidate(),
    close: (opts) => (closing ??= close(opts)),
  }
}
