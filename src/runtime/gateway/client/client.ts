/**
 * The CLI's gateway client: the reference client algorithm of protocol §9 (challenge → connect →
 * hello-ok → req/res), used by `gateway call`, `health`, `status`, `logs` and the WS→L commands.
 * The same code talks to upstream OpenClaw gateways (§10), so it reads frames leniently: unknown
 * keys, events and ids are ignored.
 */
import {randomUUID} from 'node:crypto'
import {setTimeout as delay} from 'node:timers/promises'

import WebSocket from 'ws'

import {isAppError, type AppError} from '../../errors/app-error.js'
import {Connection, shut, type GatewayConnection} from './connection.js'
import {closedError, connectRefused, protocolError, socketError, timeoutError, upgradeRefused} from './errors.js'
import {GatewayHelloSchema, parseServerFrame, type GatewayHello} from './frames.js'
import {scopesForMethod} from './scopes.js'
import {CLOSE_CODES, CLOSE_REASONS, LIMITS, PROTOCOL_MAX, PROTOCOL_MIN, SUPPORTED_PROTOCOLS, type ConnectParams, type ErrorShape} from '../protocol/frames.js'

export {DEFAULT_EXPECT_FINAL_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, type GatewayConnection, type RequestOptions} from './connection.js'
export type {GatewayEvent, GatewayHello} from './frames.js'

/** Wait between retries of a gateway that answered `UNAVAILABLE` retryable without `retryAfterMs`. */
const DEFAULT_RETRY_AFTER_MS = 500
/** Upper bound on connect attempts; the budget normally ends the loop first. */
const MAX_CONNECT_ATTEMPTS = 1000

/** What the CLI tells the gateway about itself in `connect.client`. */
export interface ClientInfo {
  /** Our package version. */
  version: string
  /** Defaults to `process.platform`. */
  platform?: string
}

export interface ConnectOptions {
  url: string
  token?: string
  password?: string
  /** Budget for the whole handshake in ms, waits for a starting gateway included. */
  timeoutMs: number
  clientInfo: ClientInfo
  /** Requested operator scopes; default `[]` (enough for `health`). */
  scopes?: readonly string[]
  /** Where `token` / `password` came from (`--token`, `OPENCLAW_GATEWAY_TOKEN`, `gateway.auth.token`), for the auth-refused hint. */
  tokenSource?: string
  passwordSource?: string
  /** Long-lived clients: close with 4000 `tick timeout` after 2 × tickIntervalMs of silence (§5). Default false. */
  watchdog?: boolean
}

/**
 * Opens a socket and completes the handshake (protocol §9 steps 3–5): waits for
 * `connect.challenge` (≤ 15 s), sends `connect` (range 3–4, client `cli`/`cli`, role operator),
 * retries a retryable `UNAVAILABLE` (a starting gateway) while the budget lasts, and requires
 * `hello-ok` with protocol 3 or 4. Throws AppError GATEWAY_UNREACHABLE / _AUTH_FAILED /
 * _PROTOCOL / _TIMEOUT / _CLOSED.
 */
export async function connectGateway(options: ConnectOptions): Promise<GatewayConnection> {
  const deadline = Date.now() + options.timeoutMs
  let last: ErrorShape | undefined
  for (let attempt = 0; attempt < MAX_CONNECT_ATTEMPTS; attempt++) {
    const outcome = await handshakeOnce(options, deadline)
    if ('connection' in outcome) return outcome.connection
    last = outcome.unavailable
    const wait = Math.max(50, outcome.unavailable.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS)
    if (Date.now() + wait >= deadline) break
    await delay(wait)
  }
  throw timeoutError(options.url, 'handshake', options.timeoutMs, `the gateway to become available; last answer: ${last?.message ?? 'none'}`, {gatewayError: last})
}

export interface CallOptions extends Omit<ConnectOptions, 'scopes' | 'watchdog'> {
  method: string
  params?: unknown
  expectFinal?: boolean
  onAccepted?: (payload: unknown) => void
}

export interface CallResult<T = unknown> {
  payload: T
  hello: GatewayHello
  /** Milliseconds from opening the socket to the answer. */
  latencyMs: number
}

/**
 * One call as `openclaw gateway call` makes it: connect with the method's scopes, one request,
 * close. `timeoutMs` bounds the whole call.
 */
export async function callGateway<T = unknown>(options: CallOptions): Promise<CallResult<T>> {
  const started = performance.now()
  const deadline = Date.now() + options.timeoutMs
  const connection = await connectGateway({...options, scopes: scopesForMethod(options.method, options.params)})
  try {
    const payload = await connection.request<T>(options.method, options.params, {
      expectFinal: options.expectFinal,
      onAccepted: options.onAccepted,
      timeoutMs: Math.max(1, deadline - Date.now()),
      budgetMs: options.timeoutMs,
    })
    return {payload, hello: connection.hello, latencyMs: Math.round(performance.now() - started)}
  } finally {
    connection.close()
  }
}

type HandshakeOutcome = {connection: GatewayConnection} | {unavailable: ErrorShape}

function handshakeOnce(options: ConnectOptions, deadline: number): Promise<HandshakeOutcome> {
  const {url} = options
  return new Promise((resolve, reject) => {
    let settled = false
    let opened = false
    let connectId: string | undefined
    let challengeTimer: NodeJS.Timeout | undefined
    const ws = new WebSocket(url, {perMessageDeflate: false, followRedirects: false})

    const settle = (outcome: HandshakeOutcome | AppError): void => {
      if (settled) return
      settled = true
      clearTimeout(budgetTimer)
      clearTimeout(challengeTimer)
      if ('connection' in outcome) return resolve(outcome)
      shut(ws, CLOSE_CODES.normal, '')
      if ('unavailable' in outcome) resolve(outcome)
      else reject(outcome)
    }
    const phase = (): 'handshake' | 'connect' => (opened ? 'handshake' : 'connect')

    const budgetTimer = setTimeout(() => {
      shut(ws, CLOSE_CODES.tickTimeout, CLOSE_REASONS.connectTimeout)
      settle(timeoutError(url, phase(), options.timeoutMs, connectId === undefined ? (opened ? 'connect.challenge' : 'the connection') : 'hello-ok'))
    }, Math.max(0, deadline - Date.now()))

    ws.on('error', (error) => settle(socketError(url, error)))
    ws.on('unexpected-response', (_request, response) => {
      response.resume()
      settle(upgradeRefused(url, response.statusCode ?? 0))
    })
    ws.on('close', (code, reason) => {
      const text = reason.toString()
      settle(code === CLOSE_CODES.protocolMismatch ? protocolError(url, 'handshake', `protocol mismatch: the gateway at ${url} does not speak protocol ${PROTOCOL_MIN}-${PROTOCOL_MAX}`) : closedError(url, phase(), code, text))
    })
    ws.on('open', () => {
      opened = true
      const wait = Math.min(LIMITS.handshakeTimeoutMs, Math.max(0, deadline - Date.now()))
      challengeTimer = setTimeout(() => {
        shut(ws, CLOSE_CODES.tickTimeout, CLOSE_REASONS.connectTimeout)
        // Name the caller's budget when it is what ran out (not the few ms the socket open took from it).
        settle(timeoutError(url, 'handshake', wait < LIMITS.handshakeTimeoutMs ? options.timeoutMs : wait, 'connect.challenge'))
      }, wait)
    })
    ws.on('message', (data, isBinary) => {
      if (settled) return
      const frame = parseServerFrame(data, isBinary)
      if (frame === null) return settle(protocolError(url, 'handshake', `gateway at ${url} sent a frame that is not a JSON text frame`))
      if (connectId === undefined) {
        // Anything before the challenge (a newer gateway's extra events) is ignored.
        if (frame.type !== 'event' || frame.event !== 'connect.challenge') return
        clearTimeout(challengeTimer)
        connectId = randomUUID()
        ws.send(JSON.stringify({type: 'req', id: connectId, method: 'connect', params: connectParams(options)}), (error) => {
          if (error) settle(socketError(url, error))
        })
        return
      }
      if (frame.type !== 'res' || frame.id !== connectId) return
      if (!frame.ok) {
        const error = frame.error
        if (error.code === 'UNAVAILABLE' && error.retryable === true) return settle({unavailable: error})
        const passwordAuth = options.token === undefined && options.password !== undefined
        const sent = passwordAuth ? {kind: 'password' as const, source: options.passwordSource, value: options.password} : {kind: 'token' as const, source: options.tokenSource, value: options.token}
        return settle(connectRefused(url, error, passwordAuth, sent))
      }
      const hello = GatewayHelloSchema.safeParse(frame.payload)
      if (!hello.success) return settle(protocolError(url, 'handshake', `gateway at ${url} sent a malformed hello-ok: ${hello.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`))
      if (!SUPPORTED_PROTOCOLS.includes(hello.data.protocol)) {
        return settle(protocolError(url, 'handshake', `gateway at ${url} chose protocol ${hello.data.protocol}; this client speaks ${PROTOCOL_MIN}-${PROTOCOL_MAX}`))
      }
      settle({connection: new Connection(ws, url, hello.data, options.watchdog === true)})
    })
  })
}

/** Exactly the fields of protocol §9 step 4, nothing else (the reference validates closed objects). */
function connectParams(options: ConnectOptions): ConnectParams {
  const params: ConnectParams = {
    minProtocol: PROTOCOL_MIN,
    maxProtocol: PROTOCOL_MAX,
    client: {id: 'cli', version: options.clientInfo.version, platform: options.clientInfo.platform ?? process.platform, mode: 'cli', instanceId: randomUUID()},
    role: 'operator',
    scopes: [...(options.scopes ?? [])],
    caps: [],
  }
  if (options.token !== undefined || options.password !== undefined) {
    params.auth = {}
    if (options.token !== undefined) params.auth.token = options.token
    if (options.password !== undefined) params.auth.password = options.password
  }
  return params
}

/** True for errors that mean nothing listens at an implicit loopback target (the WS→L fallback rule). */
export function isConnectionRefused(error: unknown): boolean {
  return isAppError(error) && error.code === 'GATEWAY_UNREACHABLE' && error.details.errno === 'ECONNREFUSED'
}
