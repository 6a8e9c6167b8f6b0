/**
 * A gateway capability (agents and sessions, a channel's accounts, cron, …) as one long-lived
 * unit the `GatewayRuntime` starts once per process: it survives in-process listener restarts,
 * publishes events on the runtime bus, contributes method groups (factories over its own
 * dependencies) and its part of `health`, and hears hot config changes under its path prefixes.
 */
import type {Config} from '../../config/schema/index.js'
import type {Logger} from '../../logging/index.js'
import type {ResolvedPaths} from '../../paths.js'
import type {MethodDefinition} from '../server/registry.js'
import type {BroadcastOptions} from '../server/services.js'

/** One file's worth of methods (`sessionsMethods({store})` returns one). */
export type MethodGroup = readonly MethodDefinition[]

/** A local listener of bus events (in-process consumers: `agent.wait`, tests, channels). */
export type BusListener = (event: string, payload: unknown) => void

/**
 * The runtime's event bus. `publish` reaches the clients of whichever listener is current (none
 * between a restart's close and bind: events are not queued) and every local subscriber.
 */
export interface EventBus {
  publish(event: string, payload: unknown, filter?: BroadcastOptions): void
  /** Returns the unsubscribe function. */
  subscribe(listener: BusListener): () => void
}

/** What a subsystem gets at start. Accessors read the live snapshot on every call. */
export interface SubsystemContext {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  version: string
  logger: Logger
  bus: EventBus
  /** The running config snapshot (replaced by hot reloads). */
  config(): Config
  /** Marks a readiness component failing or not (`/ready`'s `failing`), e.g. `channel:telegram:work`. */
  setFailing(component: string, failing: boolean): void
}

export interface GatewaySubsystem {
  /** Stable id (`agents`, `telegram`); also the key of its `health` part when it has one. */
  readonly id: string
  /**
   * Config path prefixes whose changes this subsystem applies live (`agents`, `session`,
   * `channels.telegram`); `onConfig` is called only when a changed path is under one of them.
   */
  readonly configPrefixes?: readonly string[]
  start(ctx: SubsystemContext): Promise<void> | void
  /** Drains and stops; called once, after the listener closed. */
  stop(): Promise<void> | void
  /** Its method groups; asked after `start` succeeded, once per listener. */
  methods?(): MethodGroup[]
  /** Fields merged into the HealthSnapshot (e.g. `{agents: [...], sessions: {...}}`). */
  health?(): Record<string, unknown> | Promise<Record<string, unknown>>
  /** A hot config change touching its prefixes; `changedPaths` are the touched paths. */
  onConfig?(next: Config, changedPaths: readonly string[]): Promise<void> | void
}

/** True when `path` is `prefix` or below it (`agents.list[0].model` is under `agents`). */
export function pathUnder(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false
  const next = path.charAt(prefix.length)
  return next === '' || next === '.' || next === '['
}
