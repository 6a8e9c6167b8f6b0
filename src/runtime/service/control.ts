import {resolveGatewayAuth, resolveGatewayPort} from '../config/gateway-settings.js'
import {loadConfig, type LoadedConfig} from '../config/load.js'
import {AppError} from '../errors/app-error.js'
import type {ResolvedPaths} from '../paths.js'
import {isProcessAlive} from '../state/file-lock.js'
import {readLiveGatewayLock} from '../state/gateway-lock-info.js'
import {createServiceHost, hostRemoveFile, hostRun, type ServiceHost} from './host.js'
import {locateInstalledServices, readUnitState, serviceManagerOf, type InstalledService} from './locate.js'
import {FOREGROUND_HINTS} from './scope.js'
import {waitForGatewayReady} from './wait-ready.js'

/** Inputs of `gateway start|stop|restart|uninstall`. */
export interface ControlOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  interactive?: boolean
  /** Seconds to wait for readiness after start/restart (default 30; 0: do not wait). */
  waitSeconds?: number
  host?: ServiceHost
}

export interface StartResult {
  action: 'start' | 'restart'
  via: 'systemd' | 'launchd' | 'signal'
  ok: boolean
  result: 'started' | 'restarted' | 'restart-health-failed' | 'start-health-failed' | 'not-waited'
  pid: number | null
  ready: boolean | null
  readyMs: number | null
  failing: string[]
}

export interface StopResult {
  action: 'stop'
  via: 'systemd' | 'launchd' | 'signal' | null
  stopped: boolean
  pid: number | null
}

/** `gateway start` / `gateway restart` (operations.md §2.1): refuses an invalid config, then asks the service manager (restart: SIGUSR1 to a foreground gateway). */
export async function startGateway(options: ControlOptions, action: 'start' | 'restart'): Promise<StartResult> {
  const loaded = requireValidConfig(options)
  const host = options.host ?? (await createServiceHost({env: options.env, interactive: options.interactive === true}))
  const service = pickService(host, options.paths)
  let via: StartResult['via']
  if (service !== null) {
    via = service.target.manager
    await manage(host, service, action)
  } else {
    const lock = action === 'restart' ? readLiveGatewayLock(options.paths) : null
    if (lock === null) throw notInstalled(host, action)
    process.kill(lock.pid, 'SIGUSR1')
    via = 'signal'
  }
  const waitMs = (options.waitSeconds ?? 30) * 1000
  const port = resolveGatewayPort({config: loaded.config, authored: loaded.authored, env: service === null ? options.env : {}, flag: service?.facts?.port ?? undefined}).port
  const auth = resolveGatewayAuth({config: loaded.config, authored: loaded.authored, flags: {}, env: options.env})
  const outcome = waitMs > 0 ? await waitForGatewayReady({port, secret: auth.token ?? auth.password, waitMs}) : null
  const state = service !== null ? await readUnitState(host, service.target) : null
  const pid = state?.pid ?? readLiveGatewayLock(options.paths)?.pid ?? null
  if (outcome === null) return {action, via, ok: true, result: 'not-waited', pid, ready: null, readyMs: null, failing: []}
  const ok = outcome.answered && (outcome.ready || !outcome.failing.includes('startup'))
  const result: StartResult = {action, via, ok, result: ok ? (action === 'start' ? 'started' : 'restarted') : `${action}-health-failed`, pid, ready: outcome.ready, readyMs: outcome.answered ? outcome.waitedMs : null, failing: outcome.failing}
  if (!ok) {
    throw new AppError('SERVICE_START_FAILED', `the gateway did not become ready within ${options.waitSeconds ?? 30} s after ${action}`, {result, hint: ['openclaw gateway status', 'openclaw logs']})
  }
  return result
}

/** `gateway stop`: the service, or the foreground gateway named by `locks/gateway.lock` (SIGTERM, awaited for drain + 5 s). */
export async function stopGateway(options: ControlOptions): Promise<StopResult> {
  const host = options.host ?? (await createServiceHost({env: options.env, interactive: options.interactive === true}))
  const service = pickService(host, options.paths)
  if (service !== null) {
    const before = await readUnitState(host, service.target)
    if (before.active) {
      await manage(host, service, 'stop')
      return {action: 'stop', via: service.target.manager, stopped: true, pid: before.pid}
    }
  }
  const lock = readLiveGatewayLock(options.paths)
  if (lock === null) return {action: 'stop', via: null, stopped: false, pid: null}
  process.kill(lock.pid, 'SIGTERM')
  const deadline = Date.now() + 35_000
  while (isProcessAlive(lock.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  if (isProcessAlive(lock.pid)) throw new AppError('GATEWAY_LOCK_STUCK', `gateway pid ${lock.pid} did not exit within 35 s of SIGTERM; if it is stuck: kill ${lock.pid}`, {hint: [`kill ${lock.pid}`]})
  return {action: 'stop', via: 'signal', stopped: true, pid: lock.pid}
}

/** `gateway uninstall`: stop, disable, delete the unit, its `.bak` and our env file; daemon-reload. */
export async function uninstallGatewayService(options: ControlOptions & {scope?: 'user' | 'system'}): Promise<{manager: string | null; scope: string | null; removed: string[]}> {
  const host = options.host ?? (await createServiceHost({env: options.env, interactive: options.interactive === true}))
  const services = locateInstalledServices(host, options.paths, options.scope)
  if (services.length === 0) return {manager: null, scope: null, removed: []}
  const removed: string[] = []
  for (const service of services) {
    const {target} = service
    if (target.privileged) await enableSudo(host)
    if (serviceManagerOf(host) !== null) {
      if (target.manager === 'systemd') {
        await hostRun(host, 'systemctl', [...target.systemctlScope, 'disable', '--now', target.name], {privileged: target.privileged})
      } else {
        await hostRun(host, 'launchctl', ['bootout', `gui/${host.identity.uid}/${target.name}`])
      }
    }
    for (const file of [target.unitPath, `${target.unitPath}.bak`, ...(target.envFile === null ? [] : [target.envFile])]) {
      if (await hostRemoveFile(host, file, target.privileged)) removed.push(file)
    }
    if (target.manager === 'systemd' && serviceManagerOf(host) !== null) await hostRun(host, 'systemctl', [...target.systemctlScope, 'daemon-reload'], {privileged: target.privileged})
  }
  return {manager: services[0]!.target.manager, scope: services.map((s) => s.target.scope).join('+'), removed}
}

function pickService(host: ServiceHost, paths: ResolvedPaths): InstalledService | null {
  if (serviceManagerOf(host) === null) return null
  return locateInstalledServices(host, paths)[0] ?? null
}

async function manage(host: ServiceHost, service: InstalledService, verb: 'start' | 'stop' | 'restart'): Promise<void> {
  const {target} = service
  if (target.privileged) await enableSudo(host)
  const domain = `gui/${host.identity.uid}`
  const args =
    target.manager === 'systemd'
      ? ['systemctl', ...target.systemctlScope, verb, target.name]
      : verb === 'stop'
        ? ['launchctl', 'bootout', `${domain}/${target.name}`]
        : verb === 'start'
          ? ['launchctl', 'bootstrap', domain, target.unitPath]
          : ['launchctl', 'kickstart', '-k', `${domain}/${target.name}`]
  const r = await hostRun(host, args[0]!, args.slice(1), {privileged: target.privileged})
  if (r.exitCode !== 0) {
    throw new AppError('SERVICE_COMMAND_FAILED', `${args.join(' ')} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`}`, {hint: ['openclaw gateway status']})
  }
}

async function enableSudo(host: ServiceHost): Promise<void> {
  if (host.identity.uid !== 0) host.useSudo = true
}

function requireValidConfig(options: ControlOptions): LoadedConfig {
  const loaded = loadConfig({paths: options.paths, env: options.env})
  if (loaded.issues.length > 0) {
    throw new AppError('CONFIG_INVALID', `the config ${options.paths.configPath} is invalid; the gateway would only exit 78:`, {details: {issues: loaded.issues}, hint: ['openclaw config validate', 'openclaw doctor --fix']})
  }
  return loaded
}

function notInstalled(host: ServiceHost, action: string): AppError {
  if (serviceManagerOf(host) === null) {
    return new AppError('SERVICE_NOT_INSTALLED', `no gateway service to ${action}: ${host.platform === 'linux' ? 'systemd is not running on this machine' : 'no supported service manager'}, so the gateway runs in the foreground here`, {hint: FOREGROUND_HINTS})
  }
  return new AppError('SERVICE_NOT_INSTALLED', `no gateway service is installed for this profile, so there is nothing to ${action}`, {hint: ['Install it: openclaw gateway install', 'Or run in the foreground: openclaw gateway run']})
}
