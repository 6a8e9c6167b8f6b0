/**
 * The long-lived part of a running gateway (ARCHITECTURE.md "The gateway runtime"): the
 * subsystems and the event bus. `runGateway` builds one per process; the controller points the
 * bus at each listener it binds (`attach`), asks for the method groups of the running subsystems
 * when building a listener, merges their health parts, and forwards hot config changes.
 */
import type {Config} from '../../config/schema/index.js'
import type {Logger} from '../../logging/index.js'
import type {ResolvedPaths} from '../../paths.js'
import type {BroadcastOptions} from '../server/services.js'
import {pathUnder, type BusListener, type EventBus, type GatewaySubsystem, type MethodGroup} from './subsystem.js'

/** Where bus events go: the current listener's broadcast and readiness. */
export interface BusTarget {
  broadcast(event: string, payload: unknown, options?: BroadcastOptions): void
  markFailing(component: string, failing: boolean): void
}

export interface GatewayRuntimeOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  version: string
  logger: Logger
  config(): Config
  subsystems: readonly GatewaySubsystem[]
}

export class GatewayRuntime {
  readonly bus: EventBus
  private target: BusTarget | undefined
  private readonly listeners = new Set<BusListener>()
  private readonly running: GatewaySubsystem[] = []
  /** Readiness components set while no listener was attached; replayed on attach. */
  private readonly failing = new Set<string>()

  constructor(private readonly options: GatewayRuntimeOptions) {
    this.bus = {
      publish: (event, payload, filter) => {
        this.target?.broadcast(event, payload, filter)
        for (const listener of this.listeners) listener(event, payload)
      },
      subscribe: (listener) => {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
      },
    }
  }

  /** Starts every subsystem in order; one that fails to start is logged and left out (its methods are not served). */
  async start(): Promise<void> {
    const {paths, env, version, logger, config} = this.options
    for (const subsystem of this.options.subsystems) {
      try {
        await subsystem.start({paths, env, version, config, bus: this.bus, logger: logger.child(subsystem.id), setFailing: (c, f) => this.setFailing(c, f)})
        this.running.push(subsystem)
      } catch (error) {
        logger.error(`subsystem ${subsystem.id} failed to start: ${error instanceof Error ? error.message : String(error)}`, {err: error})
        this.setFailing(subsystem.id, true)
      }
    }
  }

  /** Points the bus at a freshly bound listener and replays readiness components. */
  attach(target: BusTarget): void {
    this.target = target
    for (const component of this.failing) target.markFailing(component, true)
  }

  /** Between a restart's close and the next bind: events reach local subscribers only. */
  detach(): void {
    this.target = undefined
  }

  /** Method groups of the running subsystems, in start order. */
  methodGroups(): MethodGroup[] {
    return this.running.flatMap((subsystem) => subsystem.methods?.() ?? [])
  }

  /** Whether any running subsystem contributes to `health` (keeps the provider synchronous otherwise). */
  hasHealthParts(): boolean {
    return this.running.some((subsystem) => subsystem.health !== undefined)
  }

  /** The running subsystems' health parts, merged in start order; a failing part is logged and skipped. */
  async health(): Promise<Record<string, unknown>> {
    const merged: Record<string, unknown> = {}
    for (const subsystem of this.running) {
      if (subsystem.health === undefined) continue
      try {
        Object.assign(merged, await subsystem.health())
      } catch (error) {
        this.options.logger.warn(`subsystem ${subsystem.id} health failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    return merged
  }

  /** Hot config change: each running subsystem whose prefixes cover a changed path gets those paths. */
  async configChanged(next: Config, changedPaths: readonly string[]): Promise<void> {
    for (const subsystem of this.running) {
      if (subsystem.onConfig === undefined) continue
      const prefixes = subsystem.configPrefixes ?? []
      const touched = changedPaths.filter((p) => prefixes.some((prefix) => pathUnder(p, prefix)))
      if (touched.length === 0) continue
      try {
        await subsystem.onConfig(next, touched)
      } catch (error) {
        this.options.logger.error(`subsystem ${subsystem.id} could not apply the config change: ${error instanceof Error ? error.message : String(error)}`, {err: error})
      }
    }
  }

  /** Stops the running subsystems in reverse start order. */
  async stop(): Promise<void> {
    for (const subsystem of this.running.splice(0).reverse()) {
      try {
        await subsystem.stop()
      } catch (error) {
        this.options.logger.error(`subsystem ${subsystem.id} failed to stop: ${error instanceof Error ? error.message : String(error)}`, {err: error})
      }
    }
    this.listeners.clear()
  }

  private setFailing(component: string, failing: boolean): void {
    if (failing) this.failing.add(component)
    else this.failing.delete(component)
    this.target?.markFailing(component, failing)
  }
}
