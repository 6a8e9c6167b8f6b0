/**
 * The gateway part of `openclaw status` (operations.md §8): handshake and the cached `health`
 * snapshot, or with `deep` a live probe (`probe: true`) plus `GET /ready`, all within one budget.
 * Never throws for gateway problems: they land in `error`.
 */
import {isAppError} from '../errors/app-error.js'
import {connectGateway, type ClientInfo, type GatewayConnection} from '../gateway/client/client.js'
import {fetchReadiness} from '../gateway/client/health.js'
import type {GatewayTarget} from '../gateway/client/target.js'

export interface GatewayStatus {
  url: string | null
  /** `gateway.mode` (`local` when unset). */
  mode: string
  /** A gateway answered: hello-ok, or a refusal in a response. */
  reachable: boolean
  latencyMs: number | null
  version: string | null
  protocol: number | null
  /** From `/ready` (deep only); null when not asked or not readable. */
  ready: boolean | null
  failing: string[]
  error: {code: string; message: string} | null
  /** `--verbose`: the PID in a live `locks/gateway.lock`. */
  pid?: number | null
}

export interface GatewayProbeResult {
  gateway: GatewayStatus
  /** The HealthSnapshot, when the `health` call answered. */
  health: Record<string, unknown> | null
  /** Why `/ready` could not be read (deep only). */
  readyError: string | null
  /** The failure, with its details (e.g. `errno`, `httpStatus`), for the port check. */
  failure: {code: string; details: Record<string, unknown>} | null
}

export interface GatewayProbeOptions {
  target: Pick<GatewayTarget, 'url' | 'token' | 'password'>
  mode: string
  /** One budget for the handshake, the health call and `/ready`, ms. */
  timeoutMs: number
  clientInfo: ClientInfo
  deep: boolean
}

/** Probes the gateway; see the file comment. */
export async function probeGatewayStatus(options: GatewayProbeOptions): Promise<GatewayProbeResult> {
  const {target, timeoutMs, deep} = options
  const deadline = Date.now() + timeoutMs
  const left = () => Math.max(1, deadline - Date.now())
  const started = performance.now()
  const gateway: GatewayStatus = {url: target.url, mode: options.mode, reachable: false, latencyMs: null, version: null, protocol: null, ready: null, failing: [], error: null}
  const result: GatewayProbeResult = {gateway, health: null, readyError: null, failure: null}
  let connection: GatewayConnection | undefined
  try {
    connection = await connectGateway({...target, timeoutMs, clientInfo: options.clientInfo, scopes: ['operator.read']})
    gateway.reachable = true
    gateway.version = connection.hello.server.version
    gateway.protocol = connection.hello.protocol
    const payload = await connection.request<unknown>('health', deep ? {probe: true} : {}, {timeoutMs: left(), budgetMs: timeoutMs})
    gateway.latencyMs = Math.round(performance.now() - started)
    result.health = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {value: payload}
  } catch (error) {
    if (!isAppError(error)) throw error
    if (error.details.gatewayError !== undefined) gateway.reachable = true
    gateway.error = {code: error.code, message: error.message}
    result.failure = {code: error.code, details: error.details}
  } finally {
    connection?.close()
  }
  if (deep && gateway.reachable) {
    try {
      const readiness = await fetchReadiness(target, left())
      gateway.ready = readiness.ready
      gateway.failing = readiness.failing ?? []
    } catch (error) {
      result.readyError = error instanceof Error ? error.message : String(error)
    }
  }
  return result
}
