import {existsSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {hostRun, type ServiceHost} from './host.js'
import {serviceNames, unitBaseName} from './names.js'

/** Where and how the gateway service lives (operations.md §4.1, §4.2). */
export interface ServiceTarget {
  manager: 'systemd' | 'launchd'
  scope: 'user' | 'system'
  /** Unit name (systemd) or label (launchd). */
  name: string
  description: string
  unitPath: string
  /** The env file (systemd); null for launchd, which has none. */
  envFile: string | null
  /** `['--user']` for a user unit. */
  systemctlScope: string[]
  /** File and systemctl steps go through sudo. */
  privileged: boolean
  /** One-line notes for the user (the no-user-bus fallback). */
  notices: string[]
}

export type ScopeRequest = 'auto' | 'user' | 'system'

export const FOREGROUND_HINTS = ['Run it in the foreground (inside tmux or screen): openclaw gateway run', 'Or detached: nohup openclaw gateway run >/dev/null 2>&1 &']

/** Throws SERVICE_UNSUPPORTED unless this host has launchd or a running systemd. */
export function requireServiceManager(host: ServiceHost): 'systemd' | 'launchd' {
  if (host.platform === 'darwin') return 'launchd'
  if (host.platform === 'linux' && existsSync(host.sys.systemdRunningProbe)) return 'systemd'
  const why =
    host.platform === 'linux'
      ? `systemd is not running on this machine (${host.sys.systemdRunningProbe} does not exist: a container, WSL without systemd, or another init), so there is no service manager to install the gateway into`
      : `installing the gateway as a service is not supported on ${host.platform}`
  throw new AppError('SERVICE_UNSUPPORTED', why, {hint: FOREGROUND_HINTS})
}

/** Paths and systemctl flags for a given systemd scope. */
export function systemdTarget(host: ServiceHost, scope: 'user' | 'system', names: {profile: string | null; home: string; stateDir: string}): ServiceTarget {
  const {unitName, description} = serviceNames(names.profile, host.env)
  const user = scope === 'user'
  return {
    manager: 'systemd',
    scope,
    name: unitName,
    description,
    unitPath: path.join(user ? host.sys.userUnitDir(names.home) : host.sys.systemdSystemDir, unitName),
    envFile: user ? path.join(names.stateDir, 'gateway.env') : path.join(host.sys.etcOpenclawDir, `${unitBaseName(unitName)}.env`),
    systemctlScope: user ? ['--user'] : [],
    privileged: !user && host.identity.uid !== 0,
    notices: [],
  }
}

export function launchdTarget(host: ServiceHost, names: {profile: string | null; home: string}): ServiceTarget {
  const {label, description} = serviceNames(names.profile, host.env)
  return {manager: 'launchd', scope: 'user', name: label, description, unitPath: path.join(host.sys.launchAgentsDir(names.home), `${label}.plist`), envFile: null, systemctlScope: [], privileged: false, notices: []}
}

/**
 * Chooses the scope for `gateway install`: system for root or `--scope system`; user when the
 * user manager answers (retrying with the `/run/user/<uid>/bus` socket); otherwise a system unit
 * through sudo that runs as this user (the Armbian/SSH case). Mutates `host` (bus env, sudo).
 */
export async function chooseSystemdScope(host: ServiceHost, request: ScopeRequest): Promise<{scope: 'user' | 'system'; notices: string[]}> {
  const root = host.identity.uid === 0
  if (request === 'system' || (request === 'auto' && root)) {
    if (!root) await requireSudo(host, `installing a system service needs root`)
    return {scope: 'system', notices: []}
  }
  if (await userBusAnswers(host)) return {scope: 'user', notices: []}
  const who = host.identity.user
  if (request === 'user') {
    throw new AppError('SERVICE_NO_USER_BUS', `Can't reach the systemd user manager for ${who} (systemctl --user failed)`, {hint: noBusHints(who)})
  }
  await requireSudo(host, `Can't reach the systemd user manager for ${who}, and sudo isn't available to install a system service`, 'SERVICE_NO_USER_BUS')
  return {scope: 'system', notices: [`No systemd user session for ${who}; installing a system service that runs as ${who} (needs sudo).`]}
}

/** `systemctl --user show-environment` within 5 s, then once more with the bus socket of /run/user/<uid>. */
export async function userBusAnswers(host: ServiceHost): Promise<boolean> {
  const probe = () => hostRun(host, 'systemctl', ['--user', 'show-environment'], {timeoutMs: 5000})
  if ((await probe()).exitCode === 0) return true
  const runtimeDir = host.sys.runUserDir(host.identity.uid)
  const bus = path.join(runtimeDir, 'bus')
  if (!existsSync(bus)) return false
  host.env.XDG_RUNTIME_DIR = runtimeDir
  host.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${bus}`
  return (await probe()).exitCode === 0
}

async function requireSudo(host: ServiceHost, message: string, code: 'SERVICE_NO_USER_BUS' | 'SERVICE_COMMAND_FAILED' = 'SERVICE_COMMAND_FAILED'): Promise<void> {
  const check = await hostRun({...host, useSudo: false}, 'sudo', host.interactive ? ['-v'] : ['-n', 'true'], {timeoutMs: 60_000})
  if (check.exitCode === 0) {
    host.useSudo = true
    return
  }
  const who = host.identity.user
  throw new AppError(code, `${message}${code === 'SERVICE_NO_USER_BUS' ? '' : check.notFound ? ' and sudo is not installed' : ' and sudo needs a password (run in a terminal, or as root)'}.`, {hint: noBusHints(who)})
}

function noBusHints(who: string): string[] {
  return [
    `Install a system service as root: sudo env "PATH=$PATH" openclaw gateway install --scope system --run-as ${who}`,
    `Or enable lingering, then re-run: sudo loginctl enable-linger ${who} && openclaw gateway install`,
    'Or run in the foreground: openclaw gateway run',
  ]
}
