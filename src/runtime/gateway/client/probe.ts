/**
 * The one gateway probe behind `health`, `gateway health`, `gateway probe` and `status`: a
 * handshake, optionally the `health` RPC (cached or live) and `GET /ready`, all inside one
 * budget. Never throws for gateway problems: they land in `failure` (the client's AppError, so a
 * caller that must fail can rethrow it as is).
 */
import {isAppError, type AppError} from '../../errors/app-error.js'
import {connectGateway, type ClientInfo, type GatewayConnection} from './client.js'
import type {GatewayTarget} from './target.js'

/** What `GET /ready` answered (protocol §1.2); `failing`/`uptimeMs` only for loopback or authenticated callers. */
export interface Readiness {
  ready: boolean
  failing?: string[]
  uptimeMs?: number
}

export interface ProbeGatewayOptions {
  target: Pick<GatewayTarget, 'url' | 'token' | 'password'>
  /** One budget for the handshake, the health call and `/ready`, ms. */
  timeoutMs: number
  clientInfo: ClientInfo
  /** Call `health`: `cached` = the gateway's snapshot, `live` = `probe: true`; default none. */
  health?: 'cached' | 'live'
  /** Also read `GET /ready` (only when the gateway answered). */
  ready?: boolean
  /** Operator scopes to ask for (default `[]`: enough for `health`). */
  scopes?: readonly string[]
}

export interface GatewayProbe {
  url: string
  /** A gateway answered: hello-ok, or a refusal in a response. */
  reachable: boolean
  /** Handshake (plus health call when asked) in ms; null when nothing answered. */
  latencyMs: number | null
  protocol: number | null
  serverVersion: string | null
  /** `hello-ok.snapshot.uptimeMs`, replaced by `/ready`'s when read. */
  uptimeMs: number | null
  /** False when the gateway refused the credentials; null when auth was never decided. */
  authOk: boolean | null
  /** The HealthSnapshot when `health` answered. */
  health: Record<string, unknown> | null
  /** From `/ready`; null when not asked or not readable (`readyError` says why). */
  ready: boolean | null
  failing: string[]
  readyError: string | null
  /** Why the handshake or the health call failed. */
  failure: AppError | null
}

/** Probes one gateway; see the file comment. */
export async function probeGateway(options: ProbeGatewayOptions): Promise<GatewayProbe> {
  const {target, timeoutMs} = options
  const deadline = Date.now() + timeoutMs
  const left = () => Math.max(1, deadline - Date.now())
  const started = performance.now()
  const probe: GatewayProbe = {
    url: target.url, reachable: false, latencyMs: null, protocol: null, serverVersion: null, uptimeMs: null, authOk: null,
    health: null, ready: null, failing: [], readyError: null, failure: null,
  }
  let connection: GatewayConnection | undefined
  try {
    connection = await connectGateway({...target, timeoutMs, clientInfo: options.clientInfo, scopes: options.scopes ?? []})
    probe.reachable = true
    probe.authOk = true
    probe.protocol = connection.hello.protocol
    probe.serverVersion = connection.hello.server.version
    probe.uptimeMs = connection.hello.snapshot.uptimeMs ?? null
    if (options.health !== undefined) {
      const payload = await connection.request<unknown>('health', options.health === 'live' ? {probe: true} : {}, {timeoutMs: left(), budgetMs: timeoutMs})
      probe.health = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {value: payload}
    }
    probe.latencyMs = Math.round(performance.now() - started)
  } catch (error) {
    if (!isAppError(error)) throw error
    if (error.details.gatewayError !== undefined) {
      probe.reachable = true
      probe.latencyMs ??= Math.round(performance.now() - started)
    }
    if (error.code === 'GATEWAY_AUTH_FAILED') probe.authOk = false
    probe.failure = error
  } finally {
    connection?.close()
  }
  if (options.ready === true && probe.reachable) {
    try {
      const readiness = await fetchReadiness(target, left())
      probe.ready = readiness.ready
      probe.failing = readiness.failing ?? []
      if (readiness.uptimeMs !== undefined) probe.uptimeMs = readiness.uptimeMs
    } catch (error) {
      probe.readyError = error instanceof Error ? error.message : String(error)
    }
  }
  return probe
}

/** `GET <http(s) of the ws URL>/ready` with `Authorization: Bearer <token or password>`. Throws on network failure or a non-JSON answer. */
export async function fetchReadiness(target: Pick<GatewayTarget, 'url' | 'token' | 'password'>, timeoutMs: number): Promise<Readiness> {
  const url = new URL('/ready', target.url.replace(/^ws/, 'http'))
  const secret = target.token ?? target.password
  const response = await fetch(url, {
    headers: secret === undefined ? {} : {authorization: `Bearer ${secret}`},
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  })
  const body = (await response.json().catch(() => null)) as {ready?: unknown; failing?: unknown; uptimeMs?: unknown} | null
  if (body === null || typeof body.ready !== 'boolean') throw new Error(`GET ${url.pathname} answered HTTP ${response.status} without a readiness body`)
  const readiness: Readiness = {ready: body.ready}
  if (Array.isArray(body.failing)) readiness.failing = body.failing.filter((f): f is string => typeof f === 'string')
  if (typeof body.uptimeMs === 'number') readiness.uptimeMs = body.uptimeMs
  return readiness
}
