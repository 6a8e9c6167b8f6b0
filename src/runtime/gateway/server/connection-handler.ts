/**
 * One socket's life (protocol.md §3, §5): challenge, the first frame, connect, hello-ok, then
 * dispatch; plus the shared sweeps (handshake timeouts, pings) the server runs on its own
 * intervals so no socket owns a timer.
 */
import type {Duplex} from 'node:stream'

import type {WebSocket} from 'ws'

import type {AuthRateLimiter} from './auth-rate-limit.js'
import {GatewayConnection, type ConnectionPeer, type SendBudget} from './connection.js'
import {dispatchFrame, encodeResponse, type DispatchDeps} from './dispatch.js'
import {InboundQueue, type InboundIo, type LoopTurn} from './inbound-queue.js'
import type {PreauthSockets} from './preauth-sockets.js'
import type {RejectLog} from './reject-log.js'
import {SERVED_EVENTS} from './events.js'
import {decideConnect, type ConnectAccepted, type GatewayPhase} from './handshake.js'
import {buildHelloOk} from './hello.js'
import {CLOSE_CODES, CLOSE_REASONS, LIMITS, MESSAGES, type RequestFrame} from '../protocol/frames.js'
import {parseFrame} from '../protocol/parse-frame.js'
import type {ResolvedServerOptions} from './options.js'

/** The server state a connection needs; owned by server.ts. */
export interface ConnectionHub {
  readonly options: ResolvedServerOptions
  readonly limiter: AuthRateLimiter
  readonly dispatch: DispatchDeps
  readonly handshaking: Set<GatewayConnection>
  readonly open: Set<GatewayConnection>
  /** Unauthenticated sockets per address, counted from TCP accept (server.ts admits them). */
  readonly preauth: PreauthSockets
  /** Send-buffer memory shared by every connection. */
  readonly sendBudget: SendBudget
  /** Rejected connects, logged at warn and aggregated per address. */
  readonly rejects: RejectLog
  /** Event-loop turn counter for per-connection fairness. */
  readonly turn: LoopTurn
  /** How connections' inbound queues reach their socket and dispatch (one per server: see {@link inboundIo}). */
  readonly inboundIo: InboundIo<GatewayConnection>
  phase(): GatewayPhase
  /** Emits `presence` to read-scoped connections after the list changed. */
  publishPresence(): void
}

/** Bytes a client may send before hello-ok: the connect frame plus the queued ones, with framing slack. */
function preauthByteBudget(options: ResolvedServerOptions): number {
  return (LIMITS.maxPendingHandshakeFrames + 1) * (options.maxPreauthPayload + 14) + 4096
}

function releasePreauth(hub: ConnectionHub, conn: GatewayConnection): void {
  hub.handshaking.delete(conn)
  hub.preauth.release(conn.socket)
}

/** Registers a freshly upgraded socket and sends `connect.challenge`. */
export function attachConnection(hub: ConnectionHub, ws: WebSocket, socket: Duplex, peer: ConnectionPeer): GatewayConnection {
  const {options} = hub
  const conn = new GatewayConnection(ws, socket, peer, options.now(), options.maxBufferedBytes, hub.sendBudget)
  hub.handshaking.add(conn)

  const budget = preauthByteBudget(options)
  const countPreauth = (chunk: Buffer): void => {
    conn.preauthBytes += chunk.length
    if (conn.preauthBytes <= budget || conn.state === 'open') return
    socket.off('data', countPreauth)
    conn.close(CLOSE_CODES.tooBig, CLOSE_REASONS.preauthTooLarge)
    // The peer is still streaming a huge frame: stop reading and drop it once our close frame is out.
    socket.pause()
    setTimeout(() => conn.terminate(), 200).unref()
  }
  socket.on('data', countPreauth)
  conn.dropPreauthCounter = () => socket.off('data', countPreauth)

  ws.on('message', (data: Buffer, isBinary: boolean) => onMessage(hub, conn, data, isBinary))
  ws.on('pong', () => {
    conn.alive = true
  })
  ws.on('error', (error: Error) => options.logger.debug('gateway socket error', {connId: conn.connId, error: error.message}))
  ws.on('close', () => onClose(hub, conn))

  const challenge = {type: 'event', event: 'connect.challenge', payload: {nonce: conn.nonce, ts: options.now()}}
  ws.send(JSON.stringify(challenge))
  return conn
}

function onMessage(hub: ConnectionHub, conn: GatewayConnection, data: Buffer, isBinary: boolean): void {
  // A socket we are closing gets no more processing (a rejected client must not retry connect on it).
  if (!conn.writable) return
  conn.alive = true
  if (conn.state === 'open') {
    conn.inbound?.push(data, isBinary)
    return
  }
  if (data.length > hub.options.maxPreauthPayload) {
    conn.close(CLOSE_CODES.tooBig, CLOSE_REASONS.preauthTooLarge)
    return
  }
  if (conn.state === 'connecting') {
    const pending = (conn.pending ??= [])
    if (pending.length >= LIMITS.maxPendingHandshakeFrames) conn.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.tooManyPending)
    else pending.push({data, isBinary})
    return
  }
  const parsed = isBinary ? undefined : parseFrame(data.toString('utf8'))
  if (parsed === undefined || !parsed.ok) {
    // §3.7 row 2: a `req` with a string id gets an answer; anything else just the close.
    if (parsed !== undefined && parsed.isReq && parsed.id !== undefined) {
      const message = MESSAGES.invalidRequestFrame(parsed.issues)
      conn.send(encodeResponse({type: 'res', id: parsed.id, ok: false, error: {code: 'INVALID_REQUEST', message}}))
      conn.close(CLOSE_CODES.policyViolation, message)
    } else {
      conn.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.invalidRequestFrame)
    }
    return
  }
  conn.state = 'connecting'
  void handleConnect(hub, conn, parsed.frame)
}

/** The socket side of every open connection's inbound queue. */
export function inboundIo(hub: Pick<ConnectionHub, 'options' | 'dispatch'>): InboundIo<GatewayConnection> {
  return {
    alive: (conn) => conn.writable,
    pause: (conn) => conn.ws.pause(),
    resume: (conn) => conn.ws.resume(),
    bufferedAmount: (conn) => conn.ws.bufferedAmount,
    onceDrained: (conn, fn) => conn.socket.once('drain', fn),
    run: (conn, data, isBinary) => runFrame(hub, conn, data, isBinary),
  }
}

/** Dispatches one frame of an open connection; most are answered synchronously, and a failure is logged, never thrown into ws. */
function runFrame(hub: Pick<ConnectionHub, 'options' | 'dispatch'>, conn: GatewayConnection, data: Buffer, isBinary: boolean): Promise<void> | undefined {
  try {
    return dispatchFrame(isBinary ? '' : data.toString('utf8'), isBinary, conn, hub.dispatch)?.catch((error: unknown) => dispatchFailed(hub, conn, error))
  } catch (error) {
    dispatchFailed(hub, conn, error)
    return undefined
  }
}

function dispatchFailed(hub: Pick<ConnectionHub, 'options'>, conn: GatewayConnection, error: unknown): void {
  hub.options.logger.error('gateway dispatch failed', {connId: conn.connId, error: String(error)})
}

function detailCode(details: unknown): string | undefined {
  const code = typeof details === 'object' && details !== null ? (details as {code?: unknown}).code : undefined
  return typeof code === 'string' ? code : undefined
}

async function handleConnect(hub: ConnectionHub, conn: GatewayConnection, frame: RequestFrame): Promise<void> {
  const decision = decideConnect(frame, {phase: hub.phase(), auth: hub.options.auth, limiter: hub.limiter, peer: conn.peer, nonce: conn.nonce})
  if (!decision.ok) {
    const {code, message} = decision.error
    // Starting/draining refusals are the gateway's state, not the client's fault: debug only.
    if (code === 'UNAVAILABLE') hub.options.logger.debug('gateway connect rejected', {connId: conn.connId, ip: conn.ip, code, message})
    else hub.rejects.note(conn.ip, detailCode(decision.error.details) ?? code, message)
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs))
    conn.pending = undefined
    if (!conn.writable) return
    conn.send(encodeResponse({type: 'res', id: frame.id, ok: false, error: decision.error}))
    conn.close(decision.closeCode, decision.closeReason)
    return
  }
  if (!conn.writable) return
  openConnection(hub, conn, frame, decision)
}

function openConnection(hub: ConnectionHub, conn: GatewayConnection, frame: RequestFrame, decision: ConnectAccepted): void {
  const {options, dispatch} = hub
  const {client} = decision.params
  conn.role = decision.role
  conn.scopes = decision.scopes
  conn.clientId = client.id
  conn.clientMode = client.mode
  conn.protocol = decision.protocol
  releasePreauth(hub, conn)
  conn.dropPreauthCounter?.()
  conn.dropPreauthCounter = undefined
  conn.state = 'open'
  conn.inbound = new InboundQueue(conn, hub.inboundIo, hub.turn, options.fairness)
  hub.open.add(conn)

  const key = client.instanceId ?? conn.connId
  const listed = dispatch.services.presence.upsert(key, conn.connId, {
    ts: options.now(), host: client.displayName, ip: conn.ip === '' ? undefined : conn.ip, version: client.version,
    platform: client.platform, deviceFamily: client.deviceFamily, mode: client.mode, reason: 'connect',
    instanceId: client.instanceId, clientId: client.id, roles: [decision.role], scopes: [...decision.scopes],
  })
  if (listed) conn.presenceKey = key

  const hello = buildHelloOk(dispatch.services, {
    connId: conn.connId,
    decision,
    methods: dispatch.registry.names(),
    events: SERVED_EVENTS,
    policy: {maxPayload: options.maxPayload, maxBufferedBytes: options.maxBufferedBytes, tickIntervalMs: options.tickIntervalMs},
  })
  conn.send(encodeResponse({type: 'res', id: frame.id, ok: true, payload: hello}))
  if (listed) hub.publishPresence()

  const pending = conn.pending
  conn.pending = undefined
  for (const queued of pending ?? []) onMessage(hub, conn, queued.data, queued.isBinary)
}

function onClose(hub: ConnectionHub, conn: GatewayConnection): void {
  const previous = conn.state
  conn.state = 'closed'
  conn.pending = undefined
  conn.inbound?.clear()
  hub.sendBudget.forget(conn)
  if (previous === 'open') {
    hub.open.delete(conn)
    if (conn.presenceKey !== undefined && hub.dispatch.services.presence.remove(conn.presenceKey, conn.connId)) hub.publishPresence()
  } else if (previous !== 'closed') {
    releasePreauth(hub, conn)
  }
}

/** Closes sockets that have not completed the handshake in time (§3.5): 1008, no frame. */
export function sweepHandshakes(hub: ConnectionHub, now: number): void {
  for (const conn of hub.handshaking) {
    if (now - conn.openedAt >= hub.options.handshakeTimeoutMs) conn.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.handshakeTimeout)
  }
}

/** Pings every authenticated socket; one that stayed silent since the last ping is terminated (§5). */
export function pingConnections(hub: ConnectionHub): void {
  for (const conn of hub.open) {
    if (!conn.alive) {
      conn.terminate()
      continue
    }
    conn.alive = false
    conn.ws.ping()
  }
}
