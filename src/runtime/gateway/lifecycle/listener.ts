/**
 * Building one listener for the running gateway: the server options from the listener settings
 * and the live snapshot accessors, bound with the port-conflict rules of operations.md §3.3.
 * Each in-process restart calls this again; the accessors keep pointing at the controller.
 */
import {defaultAgentModel} from '../../agents/default-agent.js'
import type {Config} from '../../config/schema/index.js'
import type {Logger} from '../../logging/index.js'
import {envValue, type ResolvedPaths} from '../../paths.js'
import {createMethodRegistry} from '../methods/groups.js'
import {emptyHealthSnapshot} from '../server/health-cache.js'
import {startGatewayServer, type GatewayServer} from '../server/server.js'
import type {ConfigRpcHost} from './config-rpc.js'
import type {GatewayRuntime} from './gateway-runtime.js'
import {listenWithRetry} from './port-conflict.js'
import type {ListenerSettings} from './startup-checks.js'

export interface ListenerContext {
  paths: ResolvedPaths
  version: string
  env: NodeJS.ProcessEnv
  logger: Logger
  /** Process start (ms epoch), for `uptimeMs`. */
  startedAt: number
  configRpc: ConfigRpcHost
  /** The running snapshot, read on every use. */
  config(): Config
  /** `configReload.lastError` for `health`, when the last restart failed. */
  lastError(): string | undefined
  /** The subsystems: their method groups are served and their health parts merged. */
  runtime: GatewayRuntime
}

/** Starts a server for `settings` (phase `starting`, failing `startup` until `setReady`). */
export function bindListener(settings: ListenerSettings, ctx: ListenerContext): Promise<GatewayServer> {
  const handshake = Number(envValue(ctx.env, 'OPENCLAW_HANDSHAKE_TIMEOUT_MS'))
  const config = ctx.config()
  return listenWithRetry({
    port: settings.port,
    bind: () =>
      startGatewayServer({
        hosts: settings.hosts,
        port: settings.port,
        auth: {mode: settings.auth.mode, token: settings.auth.token, password: settings.auth.password},
        rateLimit: config.gateway.auth.rateLimit,
        version: ctx.version,
        startedAt: ctx.startedAt,
        logger: ctx.logger.child('gateway/ws'),
        getConfig: () => ctx.config(),
        registry: createMethodRegistry(ctx.runtime.methodGroups()),
        getHealth: () => {
          const current = ctx.config()
          const lastError = ctx.lastError()
          const mode = current.gateway.reload.mode
          const base = {...emptyHealthSnapshot(Date.now()), defaultAgentId: defaultAgentModel(current).agentId, configReload: lastError === undefined ? {mode} : {mode, lastError}}
          // Subsystem parts (agents, sessions, channels) override the empty defaults.
          return ctx.runtime.hasHealthParts() ? ctx.runtime.health().then((parts) => ({...base, ...parts})) : base
        },
        info: {bind: settings.bind, reloadMode: config.gateway.reload.mode, configPath: ctx.paths.configPath, stateDir: ctx.paths.stateDir},
        phase: 'starting',
        failing: ['startup'],
        configRpc: ctx.configRpc,
        logFile: () => ctx.logger.logFile()?.file ?? null,
        handshakeTimeoutMs: Number.isInteger(handshake) && handshake > 0 ? handshake : undefined,
      }),
    versionOf: (host, port) => gatewayVersion(host, port, settings, ctx.version),
    onRetry: (message) => ctx.logger.warn(message),
  })
}

/** The version a gateway on `host:port` reports in `hello-ok`, asked with our own credentials. */
async function gatewayVersion(host: string, port: number, settings: ListenerSettings, version: string): Promise<string | null> {
  const {connectGateway} = await import('../client/client.js')
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`
  const connection = await connectGateway({url, token: settings.auth.token, password: settings.auth.password, timeoutMs: 1500, clientInfo: {version}})
  const server = connection.hello.server.version
  connection.close()
  return server
}
