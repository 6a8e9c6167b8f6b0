/**
 * `openclaw gateway status` (operations.md §4.7): three views that each work when the others
 * fail (an invalid config stops none): the service manager, the port, and an RPC probe.
 */
import net from 'node:net'
import {realpathSync} from 'node:fs'
import path from 'node:path'

import {resolveGatewayPort} from '../config/gateway-settings.js'
import type {ConfigIssue} from '../config/issues.js'
import {loadConfig} from '../config/load.js'
import {isAppError} from '../errors/app-error.js'
import type {ClientInfo} from '../gateway/client/client.js'
import {resolveLoopbackTarget, type GatewayTargetFlags} from '../gateway/client/target.js'
import {localLogLocator} from '../logs/local-file.js'
import type {ResolvedPaths} from '../paths.js'
import {runCommand} from '../process.js'
import {readLiveGatewayLock} from '../state/gateway-lock-info.js'
import {probeGatewayStatus} from '../status/gateway-probe.js'
import {createServiceHost, type ServiceHost} from './host.js'
import {locateInstalledServices, readUnitState, serviceManagerOf} from './locate.js'
import {serviceNames} from './names.js'
import {dashboardUrl} from './dashboard.js'

export interface GatewayStatusReport {
  service: {
    manager: 'systemd' | 'launchd' | null
    managerRunning: boolean
    scope: 'user' | 'system' | null
    name: string
    path: string | null
    installed: boolean
    enabled: boolean | null
    active: boolean | null
    subState: string | null
    pid: number | null
    restarts: number | null
    lastExitStatus: number | null
    execStart: string[] | null
    generatedByOpenclaw: boolean | null
    /** What differs from what `gateway install` would write now (Node or package moved). */
    drift: string[]
    stateDir: string | null
    configPath: string | null
  }
  config: {path: string; exists: boolean; valid: boolean; issues: ConfigIssue[]}
  /** The service uses another state dir or config than this shell, as a sentence; else null. */
  mismatch: string | null
  port: {port: number; source: 'flag' | 'env' | 'config' | 'default'; status: 'free' | 'busy'; ownerPid: number | null}
  probe: {url: string; ok: boolean; latencyMs: number | null; protocol: number | null; serverVersion: string | null; ready: boolean | null; failing: string[]; error: {code: string; message: string} | null} | null
  logFile: string
  dashboardUrl: string
  /** Which of the three views failed, each with why: the answer to "why is it down". */
  failed: Array<{view: 'service' | 'port' | 'probe'; reason: string}>
}

export interface GatewayStatusOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  flags: GatewayTargetFlags
  probe: boolean
  timeoutMs: number
  clientInfo: ClientInfo
  packageRoot: string
  host?: ServiceHost
}

export async function collectGatewayStatus(options: GatewayStatusOptions): Promise<GatewayStatusReport> {
  const {paths, env} = options
  const host = options.host ?? (await createServiceHost({env, interactive: false}))
  const loaded = loadConfig({paths, env})
  const failed: GatewayStatusReport['failed'] = []

  const manager = serviceManagerOf(host)
  const [installed] = locateInstalledServices(host, paths)
  const names = serviceNames(paths.profile, env)
  const service: GatewayStatusReport['service'] = {
    manager: manager ?? installed?.target.manager ?? null, managerRunning: manager !== null, scope: installed?.target.scope ?? null,
    name: installed?.target.name ?? (host.platform === 'darwin' ? names.label : names.unitName), path: installed?.target.unitPath ?? null,
    installed: installed !== undefined, enabled: null, active: null, subState: null, pid: null, restarts: null, lastExitStatus: null,
    execStart: installed?.facts?.execStart ?? null, generatedByOpenclaw: installed?.generatedByOpenclaw ?? null, drift: [],
    stateDir: installed?.facts?.env.OPENCLAW_STATE_DIR ?? null, configPath: installed?.facts?.env.OPENCLAW_CONFIG_PATH ?? null,
  }
  if (installed !== undefined && manager !== null) Object.assign(service, await readUnitState(host, installed.target))
  if (installed !== undefined) service.drift = driftOf(service.execStart, options.packageRoot)
  if (manager === null) failed.push({view: 'service', reason: installed === undefined ? 'no service manager (systemd is not running here)' : `a unit is installed but systemd is not running here`})
  else if (installed === undefined) failed.push({view: 'service', reason: 'no gateway service installed'})
  else if (service.active !== true) failed.push({view: 'service', reason: `${service.name} is ${service.subState ?? 'inactive'}${service.lastExitStatus ? ` (last exit ${service.lastExitStatus}${service.lastExitStatus === 78 ? ', config error' : ''})` : ''}`})

  const mismatch =
    service.stateDir !== null && path.resolve(service.stateDir) !== path.resolve(paths.stateDir)
      ? `The service uses ${service.stateDir} but this shell uses ${paths.stateDir}`
      : service.configPath !== null && path.resolve(service.configPath) !== path.resolve(paths.configPath)
        ? `The service uses ${service.configPath} but this shell uses ${paths.configPath}`
        : null

  let portInfo: {port: number; source: GatewayStatusReport['port']['source']}
  try {
    portInfo = resolveGatewayPort({flag: options.flags.port, env, config: loaded.config, authored: loaded.authored})
  } catch {
    portInfo = resolveGatewayPort({flag: options.flags.port, env: {}, config: loaded.config, authored: loaded.authored})
  }
  const busy = await portBusy(portInfo.port)
  const lock = readLiveGatewayLock(paths)
  const ownerPid = !busy ? null : lock !== null && lock.port === portInfo.port ? lock.pid : await lsofOwner(portInfo.port, env)
  if (!busy) failed.push({view: 'port', reason: `nothing listens on port ${portInfo.port}`})

  let probe: GatewayStatusReport['probe'] = null
  if (options.probe) {
    try {
      const target = resolveLoopbackTarget({flags: options.flags, env, config: loaded.config, authored: loaded.authored})
      const result = await probeGatewayStatus({target, mode: 'local', timeoutMs: options.timeoutMs, clientInfo: options.clientInfo, deep: true})
      const g = result.gateway
      probe = {url: target.url, ok: g.reachable && g.error === null, latencyMs: g.latencyMs, protocol: g.protocol, serverVersion: g.version, ready: g.ready, failing: g.failing, error: g.error}
    } catch (error) {
      if (!isAppError(error)) throw error
      probe = {url: `ws://127.0.0.1:${portInfo.port}`, ok: false, latencyMs: null, protocol: null, serverVersion: null, ready: null, failing: [], error: {code: error.code, message: error.message}}
    }
    if (!probe.ok) failed.push({view: 'probe', reason: probe.error?.message ?? 'no answer'})
  }

  return {
    service,
    config: {path: paths.configPath, exists: loaded.exists, valid: loaded.issues.length === 0, issues: loaded.issues},
    mismatch,
    port: {...portInfo, status: busy ? 'busy' : 'free', ownerPid},
    probe,
    logFile: localLogLocator({paths, config: loaded.config, authored: loaded.authored})(new Date()),
    dashboardUrl: dashboardUrl({config: loaded.config, authored: loaded.authored, port: portInfo.port, token: undefined}),
    failed,
  }
}

/** Differences between the installed ExecStart and what install would write now. */
function driftOf(execStart: string[] | null, packageRoot: string): string[] {
  if (execStart === null) return ['the unit has no ExecStart']
  const drift: string[] = []
  const node = safeRealpath(process.execPath)
  const entry = safeRealpath(path.join(packageRoot, 'bin', 'run.js'))
  if (execStart[0] !== node) drift.push(`Node: the unit runs ${execStart[0]}, this shell's is ${node}`)
  const unitEntry = execStart.find((word) => word.endsWith(`${path.sep}run.js`))
  if (unitEntry !== entry) drift.push(`openclaw: the unit runs ${unitEntry ?? '(none)'}, this one is ${entry}`)
  return drift
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** Busy when something accepts a connection on 127.0.0.1:<port> within 500 ms. */
function portBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({host: '127.0.0.1', port})
    const done = (busy: boolean) => {
      socket.destroy()
      resolve(busy)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function lsofOwner(port: number, env: NodeJS.ProcessEnv): Promise<number | null> {
  const r = await runCommand('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], {env, timeoutMs: 3000})
  const pid = r.exitCode === 0 ? r.stdout.split('\n')[0]?.trim() : undefined
  return pid !== undefined && /^\d+$/.test(pid) ? Number(pid) : null
}
