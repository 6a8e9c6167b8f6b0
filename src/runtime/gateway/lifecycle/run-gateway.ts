/**
 * `openclaw gateway run` (operations.md §3): the startup sequence with its refusals and log
 * lines, then the running gateway until a stop signal. Resolves after a clean drain (exit 0);
 * throws the refusal's AppError (78, or 1 for conditions a retry may fix). The only forced exits
 * are a second stop signal (130/143) and an uncaught error (70), both after the locks are released.
 */
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'

import {writeOwnedConfig} from '../../config/edit/owned-write.js'
import type {GatewayAuthMode, GatewayBind} from '../../config/gateway-settings.js'
import {invalidConfigError} from '../../config/issues.js'
import type {Config} from '../../config/schema/index.js'
import {loadConfig} from '../../config/load.js'
import {AppError, isAppError} from '../../errors/app-error.js'
import {createLogger, logLocationContext, type LoggerConsoleOptions} from '../../logging/index.js'
import type {ResolvedPaths} from '../../paths.js'
import {ensureDir} from '../../state/ensure-state-dir.js'
import type {FileLock} from '../../state/file-lock.js'
import {configSourceHash, configuredSecrets, loggingSettingsOf} from './config-source.js'
import {GatewayController} from './controller.js'
import {GatewayRuntime} from './gateway-runtime.js'
import {gatewaySubsystems} from './gateway-subsystems.js'
import {applyGatewayHeapBudget} from './heap-budget.js'
import {acquireInstanceLock, acquireStateLock, type InstanceLock} from './instance-lock.js'
import {forcedExitCode, forceExit, installSignalRoutes, type StopSignal} from './signals.js'
import {CONFIG_EXIT, checkGatewayMode, checkStateDir, detectHostFacts, resolveListener, type ListenerSettings} from './startup-checks.js'
import {agentModelLine, authLine, channelAccountsOf, channelsLine, configLine, listeningLine, logFileLine, readyLine, startingLine} from './startup-log.js'

/** `--drain-timeout` default (seconds). */
export const DEFAULT_DRAIN_SECONDS = 30

export interface RunGatewayFlags {
  port?: number
  bind?: GatewayBind
  auth?: GatewayAuthMode
  token?: string
  password?: string
  /** Start without `gateway.mode: local` (or without any config). */
  allowUnconfigured?: boolean
  /** Stop a live gateway holding the lock and take over. */
  force?: boolean
  /** Console log at debug. */
  verbose?: boolean
  /** Seconds in-flight work gets on stop (default 30). */
  drainTimeoutSeconds?: number
  /** Dev profile: create a missing dev config with a fresh token. */
  dev?: boolean
}

export interface RunGatewayOptions {
  paths: ResolvedPaths
  /** The process environment (config-origin variables are written into it). */
  env: NodeJS.ProcessEnv
  /** Variables `<state>/.env` set at startup; SIGHUP re-reads that file and replaces them. */
  stateDotenvKeys?: string[]
  version: string
  flags: RunGatewayFlags
  /** Where console log lines go (stderr), or null for none. */
  console: LoggerConsoleOptions | null
}

export interface GatewayRunResult {
  /** The signal that stopped the gateway. */
  signal: StopSignal
  /** The port last listened on. */
  port: number
  /** Milliseconds from the signal to the closed listener. */
  shutdownMs: number
}

/** Runs the gateway until SIGTERM/SIGINT; see the module comment. */
export async function runGateway(options: RunGatewayOptions): Promise<GatewayRunResult> {
  const {paths, env, version, flags} = options
  const drainMs = (flags.drainTimeoutSeconds ?? DEFAULT_DRAIN_SECONDS) * 1000
  const created = flags.dev === true ? await ensureDevConfig(paths, env, version) : false
  const loaded = loadConfig({paths, env})
  let muted = false
  const stream = options.console?.stream
  const consoleOptions = options.console === null || stream === undefined ? null : {...options.console, stream: {write: (chunk: string) => (muted ? true : stream.write(chunk))}}
  const logger = createLogger({
    subsystem: 'gateway', env, logging: loggingSettingsOf(loaded), diagnostics: loaded.config?.diagnostics, verbose: flags.verbose,
    secrets: configuredSecrets(loaded.config, {token: flags.token, password: flags.password}), file: logLocationContext(paths), console: consoleOptions,
  })
  // Refusals reach stderr through the command's error rendering; the file log gets them at fatal.
  const refuse = (error: unknown): unknown => {
    muted = true
    const issues = isAppError(error) && Array.isArray(error.details.issues) ? (error.details.issues as Array<{text?: string}>).map((i) => i.text).filter(Boolean) : []
    logger.fatal([error instanceof Error ? error.message : String(error), issues.join('; ')].filter(Boolean).join(' '), {err: isAppError(error) ? undefined : error})
    logger.close()
    return error
  }

  logger.info(startingLine(version, process.version, process.pid, paths.profile))
  if (created) logger.info(`created dev config ${paths.configPath} with a fresh gateway token`)
  for (const warning of loaded.warnings) logger.warn(warning)
  if (loaded.config === null) throw refuse(invalidConfigError(paths.configPath, loaded.issues, paths.home, CONFIG_EXIT))
  logger.info(configLine(paths.configPath, loaded.exists))
  logger.info(`state dir: ${paths.stateDir}`)

  const listenerFlags = {port: flags.port, bind: flags.bind, auth: flags.auth, token: flags.token, password: flags.password, allowUnconfigured: flags.allowUnconfigured === true}
  const facts = detectHostFacts()
  let listener: ListenerSettings
  try {
    checkGatewayMode(loaded.config, paths.configPath, listenerFlags.allowUnconfigured)
    const resolved = resolveListener({config: loaded.config, authored: loaded.authored, flags: listenerFlags, env, facts})
    for (const warning of resolved.warnings) logger.warn(warning)
    listener = resolved.settings
    checkStateDir(paths.stateDir, process.getuid?.() ?? null)
  } catch (error) {
    throw refuse(error)
  }

  const lock = await acquireInstanceLock({stateDir: paths.stateDir, port: listener.port, version, force: flags.force === true, drainMs, log: (m) => logger.info(m)}).catch((error: unknown) => {
    throw refuse(error)
  })
  let stateLock: FileLock | undefined
  let fail: (error: unknown) => void = () => undefined
  const startup = loaded.config
  let running = (): Config => startup
  const runtime = new GatewayRuntime({paths, env, version, logger, config: () => running(), subsystems: gatewaySubsystems(startup)})
  const controller = new GatewayController({
    paths, env, version, flags: listenerFlags, facts, drainMs, logger, lock, runtime, startedAt: Math.round(performance.timeOrigin), stateDotenvKeys: options.stateDotenvKeys ?? [],
    initial: {candidate: {loaded, hash: configSourceHash(loaded.files), env}, listener},
    onUnrecoverable: (error) => fail(error),
  })
  let channels: string
  try {
    stateLock = await acquireStateLock(paths.stateDir)
    running = () => controller.running
    await runtime.start()
    // Read here, before the listener is up: no await may sit between listening and the signal routes below.
    channels = channelsLine(channelAccountsOf(await runtime.health()))
    await controller.start()
  } catch (error) {
    await runtime.stop()
    stateLock?.release()
    lock.release()
    throw refuse(error)
  }
  const server = controller.server
  logger.info(authLine(listener.auth))
  logger.info(listeningLine(listener.hosts, server.port))
  logger.info(logFileLine(logger.logFile()?.file ?? null))
  logger.info(agentModelLine(loaded.config))
  logger.info(channels)
  logger.info(readyLine(Math.round(performance.now()), []))
  const stopHeapBudget = applyGatewayHeapBudget({userFlags: [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' '), enabled: env.OPENCLAW_GATEWAY_V8_HEAP !== 'default'})

  return new Promise<GatewayRunResult>((resolve, reject) => {
    const held = {stateLock: stateLock as FileLock, lock}
    fail = (error) => {
      logger.fatal(`gateway listener lost: ${error instanceof Error ? error.message : String(error)}`, {err: error})
      finish(() => reject(new AppError('GATEWAY_PORT_IN_USE', `the gateway could not rebuild its listener: ${error instanceof Error ? error.message : String(error)}`, {hint: ['Start it again: openclaw gateway run']})))
    }
    let stopSignal: StopSignal | undefined
    let uninstall = (): void => undefined
    const release = (): void => {
      uninstall()
      stopHeapBudget()
      releaseAll(held)
    }
    const finish = (settle: () => void): void => {
      release()
      logger.close()
      settle()
    }
    uninstall = installSignalRoutes({
      stop: (signal) => {
        if (stopSignal !== undefined) {
          logger.warn(`received ${signal} during drain; exiting now`)
          logger.close()
          forceExit(forcedExitCode(signal), release)
        }
        stopSignal = signal
        const began = performance.now()
        logger.info(`received ${signal}; draining (up to ${drainMs / 1000} s)`)
        controller.stop().then(
          () => {
            const shutdownMs = Math.round(performance.now() - began)
            release()
            logger.info(`shutdown complete in ${shutdownMs} ms`)
            logger.close()
            resolve({signal, port: controller.server.port, shutdownMs})
          },
          (error: unknown) => finish(() => reject(error)),
        )
      },
      reload: () => controller.reloadBySignal(),
      restart: (signal) => controller.restartBySignal(signal),
      fatal: (error, origin) => {
        logger.fatal(`${origin}: ${error instanceof Error ? error.message : String(error)}`, {err: error})
        logger.close()
        forceExit(70, release)
      },
    })
  })
}

function releaseAll(held: {stateLock: FileLock; lock: InstanceLock}): void {
  held.stateLock.release()
  held.lock.release()
}

/**
 * `--dev`: a missing dev config is created with `gateway.mode: local` and a fresh token, plus an
 * empty workspace (no BOOTSTRAP.md: the dev agent skips onboarding). Returns true when created.
 */
async function ensureDevConfig(paths: ResolvedPaths, env: NodeJS.ProcessEnv, version: string): Promise<boolean> {
  if (existsSync(paths.configPath)) return false
  ensureDir(paths.stateDir, 0o700)
  await writeOwnedConfig({configPath: paths.configPath, home: paths.home, env, version}, () => ({
    tree: {gateway: {mode: 'local', auth: {token: randomBytes(24).toString('hex')}}},
    info: null,
  }))
  ensureDir(path.join(paths.stateDir, 'workspace'), 0o755)
  return true
}
