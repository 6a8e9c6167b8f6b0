/**
 * Everything `startGatewayServer` needs, as plain data and small provider functions, with the
 * protocol defaults applied in one place. No process state is read here: the `gateway run`
 * lifecycle resolves config, env and flags and passes the results in.
 */
import type {Config} from '../../config/schema/index.js'
import type {GatewayAuthSettings} from './auth.js'
import type {AuthRateLimitSettings} from './auth-rate-limit.js'
import type {GatewayPhase} from './handshake.js'
import {HEALTH_MAX_AGE_MS, type HealthProvider} from './health-cache.js'
import type {FairnessLimits} from './inbound-queue.js'
import type {HttpTimeouts} from './listen.js'
import type {ConfigRpcHost} from '../lifecycle/config-rpc.js'
import {LIMITS} from '../protocol/frames.js'
import type {MethodRegistry} from './registry.js'
import type {GatewayLogger, SessionDefaults} from './services.js'

export interface GatewayServerOptions {
  /** Addresses to bind, all on one port (e.g. ['127.0.0.1', '::1']). */
  hosts: string[]
  /** 0 picks a free port (tests); with several hosts the first bind decides it. */
  port: number
  auth: GatewayAuthSettings
  /** `gateway.auth.rateLimit` (§4.2 defaults). */
  rateLimit?: Partial<AuthRateLimitSettings>
  /** Our package version. */
  version: string
  /** Process start (ms epoch; default now). */
  startedAt?: number
  logger: GatewayLogger
  /** Method registry (default: the phase-1 groups). */
  registry?: MethodRegistry
  /** Health snapshot provider (default: an empty gateway). */
  getHealth?: HealthProvider
  /** Config snapshot accessor for method groups that need it. */
  getConfig?: () => Config | undefined
  /** Backs the `config.*` methods (`gateway run` provides it). */
  configRpc?: ConfigRpcHost
  /** `status.queuedSystemEvents` provider (default: none). */
  queuedSystemEvents?: () => string[]
  /** The file log `logs.tail` serves, now (e.g. `() => logger.logFile()?.file ?? null`); absent = none. */
  logFile?: () => string | null
  /** Facts reported by `status` and `hello-ok`. */
  info?: {
    bind?: string
    reloadMode?: string
    configPath?: string
    stateDir?: string
    sessionDefaults?: SessionDefaults
    modelDefaults?: {model: string | null; contextTokens: number | null}
  }
  /** `starting` refuses connects with `gateway starting; retry shortly` until `setPhase('running')` (default running). */
  phase?: GatewayPhase
  /** Initially unready components (e.g. ['startup']). */
  failing?: string[]
  /** Extra browser origins allowed to connect (the gateway's own http://host:port always is). */
  allowedOrigins?: string[]
  /** Handshake timeout, ms (default 15 000; tests use ~200). */
  handshakeTimeoutMs?: number
  /** `tick` period, ms (default 30 000). */
  tickIntervalMs?: number
  /** WebSocket ping period and pong deadline, ms (default 25 000). */
  pingIntervalMs?: number
  /** Health snapshot refresh period and cache lifetime, ms (default 60 000). */
  healthRefreshMs?: number
  /** Max inbound frame after hello-ok, bytes (default 25 MiB). */
  maxPayload?: number
  /** Max inbound frame before hello-ok, bytes (default 64 KiB). */
  maxPreauthPayload?: number
  /** Socket buffer limit for the slow-consumer rules, bytes (default 50 MiB). */
  maxBufferedBytes?: number
  /** Unauthenticated sockets per IP (default 32). */
  maxPreauthSocketsPerIp?: number
  /** HTTP timeouts, ms (defaults in listen.ts: headers 10 s, request 15 s; tests shorten them). */
  httpTimeouts?: Partial<HttpTimeouts>
  /** How often aggregated connect rejections are logged, ms (default 10 000). */
  rejectLogFlushMs?: number
  /** Per-connection fairness limits (defaults in inbound-queue.ts). */
  fairness?: FairnessLimits
  /** Clock (ms epoch), injectable for tests. */
  now?: () => number
}

export interface ResolvedServerOptions extends GatewayServerOptions {
  startedAt: number
  handshakeTimeoutMs: number
  tickIntervalMs: number
  pingIntervalMs: number
  healthRefreshMs: number
  maxPayload: number
  maxPreauthPayload: number
  maxBufferedBytes: number
  maxPreauthSocketsPerIp: number
  rejectLogFlushMs: number
  now: () => number
}

export function resolveServerOptions(options: GatewayServerOptions): ResolvedServerOptions {
  const now = options.now ?? Date.now
  return {
    ...options,
    startedAt: options.startedAt ?? now(),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? LIMITS.handshakeTimeoutMs,
    tickIntervalMs: options.tickIntervalMs ?? LIMITS.tickIntervalMs,
    pingIntervalMs: options.pingIntervalMs ?? LIMITS.pingIntervalMs,
    healthRefreshMs: options.healthRefreshMs ?? HEALTH_MAX_AGE_MS,
    maxPayload: options.maxPayload ?? LIMITS.maxPayload,
    maxPreauthPayload: options.maxPreauthPayload ?? LIMITS.maxPreauthPayload,
    maxBufferedBytes: options.maxBufferedBytes ?? LIMITS.maxBufferedBytes,
    maxPreauthSocketsPerIp: options.maxPreauthSocketsPerIp ?? LIMITS.maxPreauthSocketsPerIp,
    rejectLogFlushMs: options.rejectLogFlushMs ?? 10_000,
    now,
  }
}
