/**
 * Client-side health checks (operations.md §8, §2.1): the `health` RPC plus `GET /ready`, and
 * `gateway probe`'s per-target handshake. Loaded lazily by commands, like the client.
 */
import {isAppError} from '../../errors/app-error.js'
import {callGateway, connectGateway, type ClientInfo} from './client.js'
import type {GatewayTarget} from './target.js'

/** What `GET /ready` answered (protocol §1.2); `failing`/`uptimeMs` only for loopback or authenticated callers. */
export interface Readiness {
  ready: boolean
  failing?: string[]
  uptimeMs?: number
}

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
  const {target, timeoutMs} = options
  const deadline = Date.now() + timeoutMs
  const call = await callGateway<Record<string, unknown>>({...target, timeoutMs, clientInfo: options.clientInfo, method: 'health', params: options.probe ? {probe: true} : {}})
  const snapshot = typeof call.payload === 'object' && call.payload !== null ? call.payload : {value: call.payload}
  const report: HealthReport = {
    ...snapshot,
    url: target.url,
    latencyMs: call.latencyMs,
    serverVersion: call.hello.server.version,
    uptimeMs: call.hello.snapshot.uptimeMs ?? null,
    ready: null,
    failing: [],
  }
  try {
    const readiness = await fetchReadiness(target, Math.max(1, deadline - Date.now()))
    report.ready = readiness.ready
    report.failing = readiness.failing ?? []
    if (readiness.uptimeMs !== undefined) report.uptimeMs = readiness.uptimeMs
  } catch (error) {
    report.readyError = error instanceof Error ? error.message : String(error)
  }
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
      const started = performance.now()
      const base = {kind: target.kind, url: target.url}
      try {
        const connection = await connectGateway({url: target.url, token: target.token, password: target.password, timeoutMs: options.timeoutMs, clientInfo: options.clientInfo})
        connection.close()
        const latencyMs = Math.round(performance.now() - started)
        return {...base, reachable: true, latencyMs, protocol: connection.hello.protocol, serverVersion: connection.hello.server.version, authOk: true, error: null}
      } catch (error) {
        if (!isAppError(error)) throw error
        const answered = error.details.gatewayError !== undefined
        return {
          ...base,
          reachable: answered,
          latencyMs: answered ? Math.round(performance.now() - started) : null,
          protocol: null,
          serverVersion: null,
          authOk: error.code === 'GATEWAY_AUTH_FAILED' ? false : null,
          error: {code: error.code, message: error.message},
        }
      }
    }),
  )
}
