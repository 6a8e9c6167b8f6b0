/**
 * The gateway part of `openclaw status` (operations.md §8): handshake and the cached `health`
 * snapshot, or with `deep` a live probe (`probe: true`) plus `GET /ready`, all within one budget.
 * Never throws for gateway problems: they land in `error`.
 */
import type {ClientInfo} from '../gateway/client/client.js'
import {probeGateway} from '../gateway/client/probe.js'
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
  const {target, deep} = options
  const probe = await probeGateway({target, timeoutMs: options.timeoutMs, clientInfo: options.clientInfo, scopes: ['operator.read'], health: deep ? 'live' : 'cached', ready: deep})
  const failure = probe.failure
  const gateway: GatewayStatus = {
    url: target.url, mode: options.mode, reachable: probe.reachable, latencyMs: failure === null ? probe.latencyMs : null, version: probe.serverVersion, protocol: probe.protocol,
    ready: probe.ready, failing: probe.failing, error: failure === null ? null : {code: failure.code, message: failure.message},
  }
  return {gateway, health: probe.health, readyError: probe.readyError, failure: failure === null ? null : {code: failure.code, details: failure.details}}
}
