/**
 * What method handlers see of the gateway: plain facts about this process (`GatewayInfo`) and the
 * live services (health cache, presence, event broadcast, config accessor). Built once per
 * server; handlers never reach for module state.
 */
import type {Config} from '../../config/schema/index.js'
import type {AuthMode} from './auth.js'
import type {HealthCache} from './health-cache.js'
import type {PayloadMemo} from './payload-memo.js'
import type {ConfigRpcHost} from '../lifecycle/config-rpc.js'
import type {PresenceList} from './presence.js'
import type {OperatorScope} from '../protocol/frames.js'

/** Minimal structured logger; the logging module's logger satisfies it. */
export interface GatewayLogger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Session defaults advertised in `hello-ok.snapshot.sessionDefaults` (operator.read only). */
export interface SessionDefaults {
  defaultAgentId: string
  mainKey: string
  mainSessionKey: string
}

/** Facts about the running gateway, as plain data. */
export interface GatewayInfo {
  /** Our package version (`hello-ok.server.version`). */
  version: string
  /** Process start time (ms epoch); `uptimeMs` counts from here. */
  startedAt: number
  /** Bind mode as configured (`loopback`, `lan`, `custom`, `auto`). */
  bind: string
  /** The port actually bound (differs from the requested one when that was 0). */
  port: number
  authMode: AuthMode
  /** `gateway.reload.mode`. */
  reloadMode: string
  configPath?: string
  stateDir?: string
  sessionDefaults?: SessionDefaults
  /** Default model and context size for `status.sessions.defaults`. */
  modelDefaults?: {model: string | null; contextTokens: number | null}
}

/** Options of one broadcast; the event table (events.ts) supplies the defaults. */
export interface BroadcastOptions {
  /** Only connections whose scopes satisfy this receive the event. */
  scope?: OperatorScope
  /** Skip (but count `seq`) for a connection whose socket buffer is over the limit. */
  dropIfSlow?: boolean
}

export interface GatewayServices {
  readonly info: GatewayInfo
  readonly health: HealthCache
  readonly presence: PresenceList
  readonly logger: GatewayLogger
  now(): number
  /** The current config snapshot, when the embedding runtime provided one. */
  getConfig(): Config | undefined
  /** The `config.*` methods' access to the running gateway (absent in bare servers: they answer UNAVAILABLE). */
  readonly configRpc?: ConfigRpcHost
  /** System events waiting for the next agent turn (`status.queuedSystemEvents`). */
  queuedSystemEvents(): string[]
  /** Sends an event to every authenticated connection allowed to see it. */
  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void
  /** Payloads derived from immutable inputs, built and serialized once per server (absent in bare unit-test services). */
  readonly memo?: PayloadMemo
  /** Absolute path of the file log now (re-resolved per call: midnight switch); absent or null = no file log (`logs.tail` answers UNAVAILABLE). */
  logFile?(): string | null
}
