/**
 * `gateway run` startup checks (operations.md §3.1 steps 2–4, protocol.md §1.1): gateway mode,
 * port, bind addresses and auth, the state dir. Each refusal is an AppError with the exact
 * specified text and exit 78. The same listener resolution runs again before an in-process
 * restart, so a reloaded config can never bind what startup would have refused.
 */
import {existsSync, lstatSync, readFileSync} from 'node:fs'
import os from 'node:os'

import {resolveGatewayAuth, resolveGatewayBind, resolveGatewayPort, type GatewayAuthMode, type GatewayAuthSettings, type GatewayBind} from '../../config/gateway-settings.js'
import type {Config} from '../../config/schema/index.js'
import {AppError} from '../../errors/app-error.js'
import type {Env} from '../../paths.js'
import {ensureStateDir} from '../../state/ensure-state-dir.js'
import {formatHostPort, isLoopbackAddress} from '../server/net-address.js'

/** Exit code of every refusal a restart cannot fix (operations.md §3.4). */
export const CONFIG_EXIT = 78

/** The `gateway run` flags that shape the listener. */
export interface ListenerFlags {
  port?: number
  bind?: GatewayBind
  auth?: GatewayAuthMode
  token?: string
  password?: string
}

/** Facts about this host that decide which addresses a bind mode means. */
export interface HostFacts {
  /** `/.dockerenv` exists, or PID 1's cgroup names a container runtime. */
  inContainer: boolean
  /** The loopback interface has `::1`. */
  ipv6Loopback: boolean
}

/** Everything the listener is built from; compared before and after a reload. */
export interface ListenerSettings {
  port: number
  bind: GatewayBind
  customBindHost?: string
  /** Addresses bound on `port`, in bind order. */
  hosts: string[]
  auth: GatewayAuthSettings
}

export interface ListenerInputs {
  /** The effective config (null when there is none usable: only flags, env and defaults apply). */
  config: Config | null
  authored: Record<string, unknown> | null
  flags: ListenerFlags
  env: Env
  facts: HostFacts
}

/**
 * The addresses a bind mode listens on (protocol.md §1.1): loopback = 127.0.0.1 (+ ::1 when the
 * host has it), lan = 0.0.0.0, custom = the host plus 127.0.0.1 (unless it is 127.0.0.1 or
 * 0.0.0.0), auto = lan inside a container, else loopback.
 */
export function bindHosts(bind: GatewayBind, customBindHost: string | undefined, facts: HostFacts): string[] {
  if (bind === 'auto') return bindHosts(facts.inContainer ? 'lan' : 'loopback', undefined, facts)
  if (bind === 'lan') return ['0.0.0.0']
  if (bind === 'custom') {
    if (customBindHost === undefined) {
      throw new AppError('GATEWAY_CONFIG', 'gateway.bind is custom but gateway.customBindHost is not set', {
        exitCode: CONFIG_EXIT,
        hint: ['openclaw config set gateway.customBindHost <your IPv4>', 'or bind loopback: openclaw config set gateway.bind loopback'],
      })
    }
    return customBindHost === '127.0.0.1' || customBindHost === '0.0.0.0' ? [customBindHost] : [customBindHost, '127.0.0.1']
  }
  return facts.ipv6Loopback ? ['127.0.0.1', '::1'] : ['127.0.0.1']
}

/**
 * Step 3 and the listener: port (`--port` > OPENCLAW_GATEWAY_PORT > config > 18789), bind hosts
 * and auth. Refuses (exit 78) a non-loopback address without a usable secret, and on loopback a
 * token/password mode with no secret. Returns warnings for the log (config and env secrets differ).
 */
export function resolveListener(inputs: ListenerInputs): {settings: ListenerSettings; warnings: string[]} {
  const {config, authored, flags, env} = inputs
  const {port} = resolveGatewayPort({config, authored, flag: flags.port, env, exitCode: CONFIG_EXIT})
  const bind = resolveGatewayBind({config, authored, flag: flags.bind, env})
  const hosts = bindHosts(bind.bind, bind.customBindHost, inputs.facts)
  const auth = resolveGatewayAuth({config, authored, env, flags: {auth: flags.auth, token: flags.token, password: flags.password}})
  const secret = auth.mode === 'token' ? auth.token : auth.mode === 'password' ? auth.password : undefined
  const exposed = hosts.find((host) => !isLoopbackAddress(host))
  if (exposed !== undefined && (auth.mode === 'none' || secret === undefined)) {
    throw new AppError('GATEWAY_CONFIG', `refusing to bind gateway to ${formatHostPort(exposed, port)} without auth (set gateway.auth.token, or use --bind loopback)`, {
      exitCode: CONFIG_EXIT,
      hint: ['Generate a token: openclaw config set gateway.auth.token "$(openssl rand -hex 24)"', 'Or stay on this machine: openclaw gateway run --bind loopback'],
    })
  }
  if (auth.mode === 'token' && secret === undefined) {
    throw new AppError('GATEWAY_CONFIG', 'gateway.auth.mode is token but no token is set; generate one: openclaw config set gateway.auth.token "$(openssl rand -hex 24)"', {
      exitCode: CONFIG_EXIT,
      hint: ['openclaw config set gateway.auth.token "$(openssl rand -hex 24)"', 'Or pass one: openclaw gateway run --token <token>'],
    })
  }
  if (auth.mode === 'password' && secret === undefined) {
    throw new AppError('GATEWAY_CONFIG', 'gateway.auth.mode is password but no password is set; run: openclaw config set gateway.auth.password <password>', {
      exitCode: CONFIG_EXIT,
      hint: ['Or pass one: openclaw gateway run --password <password>'],
    })
  }
  const settings: ListenerSettings = {port, bind: bind.bind, hosts, auth}
  if (bind.customBindHost !== undefined) settings.customBindHost = bind.customBindHost
  return {settings, warnings: secretConflictWarnings(config, flags, env)}
}

/** protocol.md §4.1: one warning per secret set in both the config and the env with different values. */
function secretConflictWarnings(config: Config | null, flags: ListenerFlags, env: Env): string[] {
  const warnings: string[] = []
  const pairs = [
    {key: 'token', flag: flags.token, file: config?.gateway.auth.token, envName: 'OPENCLAW_GATEWAY_TOKEN'},
    {key: 'password', flag: flags.password, file: config?.gateway.auth.password, envName: 'OPENCLAW_GATEWAY_PASSWORD'},
  ]
  for (const {key, flag, file, envName} of pairs) {
    const fromEnv = env[envName]
    if (file === undefined || file === '' || fromEnv === undefined || fromEnv === '' || fromEnv === file) continue
    const winner = flag !== undefined && flag !== '' ? `--${key}` : `gateway.auth.${key} from the config`
    warnings.push(`gateway.auth.${key} in the config and ${envName} differ; using ${winner}`)
  }
  return warnings
}

/**
 * Step 2: `gateway.mode` must be `local` unless `--allow-unconfigured`. `configPath` is shown in
 * the refusal.
 */
export function checkGatewayMode(config: Config | null, configPath: string, allowUnconfigured: boolean): void {
  if (allowUnconfigured) return
  const mode = config?.gateway.mode
  if (mode === 'local') return
  if (mode === 'remote') {
    throw new AppError('GATEWAY_CONFIG', 'this config points at a remote gateway (gateway.mode=remote); set gateway.mode to local to run one here', {
      exitCode: CONFIG_EXIT,
      hint: ['openclaw config set gateway.mode local', 'Or talk to the remote one: openclaw gateway probe'],
    })
  }
  throw new AppError('GATEWAY_CONFIG', `gateway.mode is not set in ${configPath}; run: openclaw config set gateway.mode local`, {
    exitCode: CONFIG_EXIT,
    hint: ['openclaw config set gateway.mode local', 'Or start without a config: openclaw gateway run --allow-unconfigured'],
  })
}

/**
 * Step 4: creates the state dir 0700 when missing; refuses (exit 78) one owned by another user or
 * writable by group or others. `uid` null (no uids on this platform) skips the checks.
 */
export function checkStateDir(stateDir: string, uid: number | null): void {
  ensureStateDir(stateDir)
  if (uid === null) return
  const stat = lstatSync(stateDir)
  if (stat.uid !== uid) {
    throw new AppError('STATE_DIR_UNSAFE', `state dir ${stateDir} is owned by uid ${stat.uid}, not by you (uid ${uid}); fix: chown -R ${uid} ${stateDir}`, {
      exitCode: CONFIG_EXIT,
      hint: [`sudo chown -R ${uid} ${stateDir}`, 'Or run the gateway as the user who owns it'],
    })
  }
  if ((stat.mode & 0o022) !== 0) {
    throw new AppError('STATE_DIR_UNSAFE', `state dir ${stateDir} is writable by other users; fix: chmod 700 ${stateDir}`, {
      exitCode: CONFIG_EXIT,
      hint: [`chmod 700 ${stateDir}`],
    })
  }
}

/** Two listener settings bind the same sockets with the same auth. */
export function sameListener(a: ListenerSettings, b: ListenerSettings): boolean {
  return a.port === b.port && a.hosts.join(',') === b.hosts.join(',') && a.auth.mode === b.auth.mode && a.auth.token === b.auth.token && a.auth.password === b.auth.password
}

/** True when any of `hosts` is reachable from other machines. */
export function exposesNetwork(hosts: readonly string[]): boolean {
  return hosts.some((host) => !isLoopbackAddress(host))
}

/** Reads the host facts `bindHosts` needs (cheap: one stat, one small read, the interface list). */
export function detectHostFacts(): HostFacts {
  let inContainer = existsSync('/.dockerenv')
  if (!inContainer) {
    try {
      inContainer = /docker|containerd|kubepods|podman/.test(readFileSync('/proc/1/cgroup', 'utf8'))
    } catch {
      // No /proc (macOS) or not readable: not a container we can tell about.
    }
  }
  const ipv6Loopback = Object.values(os.networkInterfaces()).some((list) => list?.some((entry) => entry.internal && entry.address === '::1') ?? false)
  return {inContainer, ipv6Loopback}
}
