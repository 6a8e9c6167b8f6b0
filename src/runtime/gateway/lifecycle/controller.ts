/**
 * The running gateway (operations.md §3.4, config.md §8): owns the config snapshot, the listener
 * and the watcher; applies reloads per mode; rebuilds the listener in process (same PID and lock)
 * and goes back to the previous config and listener when the new one cannot bind. Config reads
 * and writes are serialized on one chain; restarts run on their own chain so a restart waiting
 * for in-flight requests never waits for itself.
 */
import {performance} from 'node:perf_hooks'

import {diffConfigPaths} from '../../config/edit/diff-paths.js'
import {reloadStateDotenv} from '../../config/env-sources.js'
import type {LoadedConfig} from '../../config/load.js'
import type {Config} from '../../config/schema/index.js'
import type {Logger} from '../../logging/index.js'
import type {ResolvedPaths} from '../../paths.js'
import type {GatewayServer} from '../server/server.js'
import type {ConfigRpcHost} from './config-rpc.js'
import type {GatewayRuntime} from './gateway-runtime.js'
import {configuredSecrets, loadCandidate, pickEnv, syncConfigEnv, type ConfigCandidate} from './config-source.js'
import {watchConfigFiles, type ConfigWatcher} from './config-watcher.js'
import type {InstanceLock} from './instance-lock.js'
import {bindListener} from './listener.js'
import {planReload, type ReloadTrigger} from './reload-plan.js'
import {checkGatewayMode, resolveListener, type HostFacts, type ListenerFlags, type ListenerSettings} from './startup-checks.js'
import {dotenvReloadLine, listeningLine, reloadedLine, reloadSkippedLine, restartNeededLine} from './startup-log.js'

/** `restartExpectedMs` announced in the `shutdown` event of an in-process restart. */
export const RESTART_EXPECTED_MS = 1000

export interface ControllerOptions {
  paths: ResolvedPaths
  /** The process environment: config-origin variables are updated in it on reload. */
  env: NodeJS.ProcessEnv
  /** Variables `<state>/.env` set at startup (SIGHUP re-reads the file and replaces them). */
  stateDotenvKeys?: readonly string[]
  version: string
  flags: ListenerFlags & {allowUnconfigured: boolean}
  facts: HostFacts
  /** `--drain-timeout` in ms: in-flight requests get this long on stop and restart. */
  drainMs: number
  logger: Logger
  lock: InstanceLock
  /** Process start (ms epoch), for `uptimeMs`. */
  startedAt: number
  /** The validated startup config and the listener resolved from it. */
  initial: {candidate: ConfigCandidate; listener: ListenerSettings}
  /** The subsystems and event bus; outlives every listener this controller binds. */
  runtime: GatewayRuntime
  /** The listener is gone and could not be rebuilt: the orchestrator stops the process (exit 1). */
  onUnrecoverable(error: unknown): void
}

/** What a rollback restores. */
interface Snapshot {
  loaded: LoadedConfig
  envValues: Record<string, string | undefined>
  hash: string | null
}

export class GatewayController {
  private loaded: LoadedConfig
  private config: Config
  private envValues: Record<string, string | undefined>
  private appliedHash: string | null
  private broadcastHash: string | null
  private listener: ListenerSettings
  private listenerConfig: Config
  private current: GatewayServer | undefined
  private lastError: string | undefined
  private watcher: ConfigWatcher | null = null
  private watcherKey = ''
  private configChain: Promise<unknown> = Promise.resolve()
  private restartChain: Promise<void> = Promise.resolve()
  private restartTimer: NodeJS.Timeout | undefined
  private pendingRollback: Snapshot | undefined
  private stopping = false
  private stateDotenvKeys: readonly string[]
  /** Backs the `config.*` methods; one per run, so it outlives in-process restarts. */
  readonly host: ConfigRpcHost

  constructor(private readonly options: ControllerOptions) {
    const {candidate, listener} = options.initial
    if (candidate.loaded.config === null) throw new Error('the controller needs a valid config')
    this.loaded = candidate.loaded
    this.config = candidate.loaded.config
    this.envValues = pickEnv(candidate.env, candidate.loaded.envFromConfig)
    this.appliedHash = candidate.hash
    this.broadcastHash = candidate.hash
    this.listener = listener
    this.listenerConfig = this.config
    this.stateDotenvKeys = options.stateDotenvKeys ?? []
    this.host = {
      paths: options.paths,
      version: options.version,
      env: options.env,
      envFromConfig: () => this.loaded.envFromConfig,
      exclusive: (fn) => this.serialize(fn),
      written: (hash) => this.announce(hash),
      applyNow: (restartDelayMs) => this.reloadNow('rpc', restartDelayMs),
    }
  }

  /** The live server (replaced by each in-process restart). */
  get server(): GatewayServer {
    if (this.current === undefined) throw new Error('gateway not started')
    return this.current
  }

  get listenerSettings(): ListenerSettings {
    return this.listener
  }

  get running(): Config {
    return this.config
  }

  /** Binds the startup listener (conflict rules of §3.3) and arms the watcher. */
  async start(): Promise<GatewayServer> {
    const server = await this.bind(this.listener)
    this.adopt(server, this.listener, this.config)
    this.armWatcher()
    return server
  }

  /** SIGHUP: re-read the config now and apply it with the hybrid rules. */
  reloadBySignal(): void {
    this.options.logger.info('received SIGHUP; reloading the config')
    void this.serialize(() => {
      this.rereadStateDotenv()
      return this.reloadNow('signal', 0)
    }).catch((error: unknown) => this.options.logger.error('config reload failed', {err: error}))
  }

  /** SIGHUP re-reads `<state>/.env` before the config, so `${VAR}`s see its new values; logs names, never values. */
  private rereadStateDotenv(): void {
    const {logger, paths, env} = this.options
    const result = reloadStateDotenv(env, {stateDir: paths.stateDir, cwd: paths.cwd, previous: this.stateDotenvKeys})
    this.stateDotenvKeys = result.applied
    for (const warning of result.warnings) logger.warn(warning)
    logger.info(dotenvReloadLine(result, paths.home))
  }

  /** SIGUSR1/SIGUSR2: apply the config on disk (when valid) and restart in process. */
  restartBySignal(signal: string): void {
    const {logger} = this.options
    logger.info(`received ${signal}; restarting in process`)
    void this.serialize(async () => {
      const rollback = this.snapshot()
      const candidate = loadCandidate(this.options.paths, this.options.env, this.loaded.envFromConfig)
      if (candidate.loaded.config === null) logger.warn(reloadSkippedLine(candidate.loaded.issues))
      else if (candidate.hash !== this.appliedHash) {
        this.announce(candidate.hash)
        this.applySnapshot(candidate)
      }
      this.scheduleRestart(signal, 0, rollback)
    }).catch((error: unknown) => logger.error('restart failed', {err: error}))
  }

  /** Stops watching and restarting, lets a running restart settle, then drains and closes the server. */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer)
    this.watcher?.close()
    await this.restartChain
    await this.current?.close({reason: 'gateway stopping', drainMs: this.options.drainMs})
    this.options.runtime.detach()
    await this.options.runtime.stop()
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.configChain.then(fn)
    this.configChain = run.catch(() => undefined)
    return run
  }

  /** Loads, classifies and applies the config on disk. Call on the config chain. */
  private async reloadNow(trigger: ReloadTrigger, restartDelayMs: number): Promise<{restart: boolean}> {
    const {logger} = this.options
    if (this.stopping) return {restart: false}
    const candidate = loadCandidate(this.options.paths, this.options.env, this.loaded.envFromConfig)
    const next = candidate.loaded.config
    if (next === null) {
      logger.warn(reloadSkippedLine(candidate.loaded.issues))
      return {restart: false}
    }
    this.announce(candidate.hash)
    if (trigger === 'watch' && candidate.hash === this.appliedHash) return {restart: false}
    const plan = planReload({
      appliedDiff: diffConfigPaths(this.config, next),
      listenerDiff: diffConfigPaths(this.listenerConfig, next),
      mode: this.config.gateway.reload.mode,
      trigger,
    })
    if (plan.restartNeeded.length > 0) logger.warn(restartNeededLine(plan.restartNeeded))
    if (!plan.apply && !plan.inProcessRestart) {
      if (trigger === 'rpc' && this.config.gateway.reload.mode === 'off') logger.info('config written; not applied (gateway.reload.mode=off); apply with SIGHUP or: openclaw gateway restart')
      return {restart: false}
    }
    const rollback = this.snapshot()
    if (plan.apply) this.applySnapshot(candidate)
    logger.info(reloadedLine(plan.hot, plan.restart))
    if (plan.inProcessRestart) this.scheduleRestart('config change', restartDelayMs, rollback)
    return {restart: plan.inProcessRestart}
  }

  /** `config.changed` to read-scoped clients, once per distinct source hash. */
  private announce(hash: string | null): void {
    if (hash === this.broadcastHash) return
    this.broadcastHash = hash
    this.options.runtime.bus.publish('config.changed', {path: this.options.paths.configPath, hash, ts: Date.now()})
  }

  private snapshot(): Snapshot {
    return {loaded: this.loaded, envValues: this.envValues, hash: this.appliedHash}
  }

  /** Swaps the snapshot and applies the hot side effects: env, logger, watcher, reported mode. */
  private applySnapshot(candidate: ConfigCandidate): void {
    this.install({loaded: candidate.loaded, envValues: pickEnv(candidate.env, candidate.loaded.envFromConfig), hash: candidate.hash})
  }

  private install(next: Snapshot): void {
    if (next.loaded.config === null) return
    const changed = diffConfigPaths(this.config, next.loaded.config)
    syncConfigEnv(this.options.env, next.envValues, this.loaded.envFromConfig, next.loaded.envFromConfig)
    this.loaded = next.loaded
    this.config = next.loaded.config
    this.envValues = next.envValues
    this.appliedHash = next.hash
    this.options.logger.reconfigure(this.config.logging, this.config.diagnostics, configuredSecrets(this.config, this.listener.auth))
    this.armWatcher()
    if (changed.length > 0) void this.options.runtime.configChanged(this.config, changed)
    if (this.current !== undefined) {
      this.current.services.info.reloadMode = this.config.gateway.reload.mode
      void this.current.refreshHealth().catch(() => undefined)
    }
  }

  /** (Re)starts the watcher when the mode, debounce or file set changed; none under mode `off`. */
  private armWatcher(): void {
    const {mode, debounceMs} = this.config.gateway.reload
    const key = mode === 'off' || this.stopping ? 'off' : `${debounceMs}\0${this.loaded.files.join('\0')}`
    if (key === this.watcherKey) return
    this.watcher?.close()
    this.watcher = null
    this.watcherKey = key
    if (key === 'off') return
    this.watcher = watchConfigFiles({
      files: this.loaded.files,
      debounceMs,
      onChange: () => void this.serialize(() => this.reloadNow('watch', 0)).catch((error: unknown) => this.options.logger.error('config reload failed', {err: error})),
      onWatchError: (dir, error) => this.options.logger.warn(`cannot watch ${dir} for config changes: ${error.message}`),
    })
  }

  private scheduleRestart(reason: string, delayMs: number, rollback: Snapshot): void {
    if (this.stopping) return
    this.pendingRollback ??= rollback
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer)
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      const previous = this.pendingRollback
      this.pendingRollback = undefined
      this.restartChain = this.restartChain.then(() => this.restartNow(reason, previous)).catch((error: unknown) => this.options.onUnrecoverable(error))
    }, delayMs)
  }

  /** Rebuilds the listener from the current snapshot; on failure restores `rollback` and the previous listener. */
  private async restartNow(reason: string, rollback: Snapshot | undefined): Promise<void> {
    if (this.stopping) return
    const {logger, paths, flags, env, facts} = this.options
    const began = performance.now()
    const builtFrom = this.config
    let target: ListenerSettings
    try {
      checkGatewayMode(builtFrom, paths.configPath, flags.allowUnconfigured)
      target = resolveListener({config: builtFrom, authored: this.loaded.authored, flags, env, facts}).settings
    } catch (error) {
      this.restartFailed(error, rollback)
      return
    }
    const previous = {settings: this.listener, config: this.listenerConfig}
    logger.info(`restarting in process (${reason})`)
    await this.server.close({reason: 'config change', restartExpectedMs: RESTART_EXPECTED_MS, drainMs: this.options.drainMs})
    this.options.runtime.detach()
    try {
      const server = await this.bind(target)
      this.lastError = undefined
      this.adopt(server, target, builtFrom)
      logger.info(listeningLine(target.hosts, server.port))
      logger.info(`restart complete in ${Math.round(performance.now() - began)} ms`)
    } catch (error) {
      this.restartFailed(error, rollback)
      this.adopt(await this.bind(previous.settings), previous.settings, previous.config)
      logger.info(listeningLine(previous.settings.hosts, this.server.port))
    }
  }

  private restartFailed(error: unknown, rollback: Snapshot | undefined): void {
    const message = error instanceof Error ? error.message : String(error)
    this.lastError = message
    this.options.logger.error(`in-process restart failed: ${message}; keeping the previous config and listener`)
    if (rollback !== undefined) this.install(rollback)
    void this.current?.refreshHealth().catch(() => undefined)
  }

  private adopt(server: GatewayServer, settings: ListenerSettings, builtFrom: Config): void {
    this.current = server
    this.listener = settings
    this.listenerConfig = builtFrom
    this.options.lock.updatePort(server.port)
    this.options.runtime.attach(server)
    server.setReady()
  }

  private bind(settings: ListenerSettings): Promise<GatewayServer> {
    const {paths, version, env, logger, startedAt, runtime} = this.options
    return bindListener(settings, {paths, version, env, logger, startedAt, runtime, configRpc: this.host, config: () => this.config, lastError: () => this.lastError})
  }
}
