/**
 * Client-side health checks (operations.md §8, §2.1): the `health` RPC plus `GET /ready`, and
 * `gateway probe`'s per-target handshake. Loaded lazily by commands, like the client.
 */
import type {ClientInfo} from './client.js'
import {probeGateway} from './probe.js'
import type {GatewayTarget} from './target.js'

/** The `health` command's result: the HealthSnapshot unchanged, plus where and how it was reached. */
export type HealthReport = Record<string, unknown> & {
  url: string
  latencyMs: number
  serverVersion: string
  uptimeMs: number | null
  /** From `/ready`; null when it could not be read (`readyError` says why). */
  ready: boolean | null
  failing: string[]
  readyError?: string
}

export interface HealthCheckOptions {
  target: Pick<GatewayTarget, 'url' | 'token' | 'password'>
  timeoutMs: number
  clientInfo: ClientInfo
  /** Ask the gateway for live channel probes (`probe: true`). */
  probe?: boolean
}

/**
 * RPC `health` and `GET /ready` with the same secret, both within `timeoutMs`. Throws the client's
 * AppErrors when the gateway is unreachable or refuses us; an unreadable `/ready` is reported in
 * the result (`ready: null`), not thrown.
 */
export async function checkGatewayHealth(options: HealthCheckOptions): Promise<HealthReport> {
  const probe = await probeGateway({target: options.target, timeoutMs: options.timeoutMs, clientInfo: options.clientInfo, health: options.probe === true ? 'live' : 'cached', ready: true})
  if (probe.failure !== null) throw probe.failure
  const report: HealthReport = {
    ...probe.health,
    url: probe.url,
    latencyMs: probe.latencyMs ?? 0,
    serverVersion: probe.serverVersion ?? '',
    uptimeMs: probe.uptimeMs,
    ready: probe.ready,
    failing: probe.failing,
  }
  if (probe.readyError !== null) report.readyError = probe.readyError
  return report
}

/**
 * What keeps a report from exit 0: not ready (or readiness unknown), failing components, a
 * snapshot with `ok: false`. Empty = healthy.
 */
export function healthProblems(report: HealthReport): string[] {
  const problems = [...report.failing]
  if (report.ready === null) problems.push(`readiness unknown (${report.readyError ?? 'no answer'})`)
  else if (!report.ready && problems.length === 0) problems.push('not ready')
  if (report.ok === false) problems.push('health snapshot not ok')
  return problems
}

/**
 * The same rule for a bare HealthSnapshot (`gateway health`, no `/ready`): `ok: false`, or a
 * configured channel account that is not running (named like `/ready`'s `channel:<id>:<account>`).
 */
export function snapshotProblems(snapshot: unknown): string[] {
  const problems: string[] = []
  if (typeof snapshot !== 'object' || snapshot === null) return ['health snapshot missing']
  const s = snapshot as {ok?: unknown; channels?: Record<string, {configured?: unknown; accounts?: Record<string, {running?: unknown}>}>}
  if (s.ok === false) problems.push('health snapshot not ok')
  for (const [channelId, channel] of Object.entries(s.channels ?? {})) {
    if (channel?.configured !== true) continue
    for (const [accountId, account] of Object.entries(channel.accounts ?? {})) {
      if (account?.running === false) problems.push(`channel:${channelId}:${accountId}`)
    }
  }
  return problems
}

export type ProbeKind = 'loopback' | 'remote' | 'url'

/** One row of `gateway probe` (operations.md §2.1). */
export interface ProbeResult {
  kind: ProbeKind
  url: string
  /** A gateway answered the handshake (hello-ok, or a refusal in a `res`). */
  reachable: boolean
  latencyMs: number | null
  protocol: number | null
  serverVersion: string | null
  /** Null when the handshake never got as far as auth. */
  authOk: boolean | null
  error: {code: string; message: string} | null
}

/** Handshakes with each target in parallel (scopes `[]`, no request) and closes at once. Never throws for gateway problems. */
export async function probeGateways(targets: ReadonlyArray<Pick<GatewayTarget, 'url' | 'token' | 'password'> & {kind: ProbeKind}>, options: {timeoutMs: number; clientInfo: ClientInfo}): Promise<ProbeResult[]> {
  return Promise.all(
    targets.map(async (target): Promise<ProbeResult> => {
      const probe = await probeGateway({target, ...options})
      const error = probe.failure === null ? null : {code: probe.failure.code, message: probe.failure.message}
      return {kind: target.kind, url: target.url, reachable: probe.reachable, latencyMs: probe.latencyMs, protocol: probe.protocol, serverVersion: probe.serverVersion, authOk: probe.authOk, error}
    }),
  )
}
