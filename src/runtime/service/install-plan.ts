import {chownSync, existsSync, readFileSync, realpathSync} from 'node:fs'
import path from 'node:path'

import {resolveGatewayAuth, resolveGatewayPort} from '../config/gateway-settings.js'
import {AppError} from '../errors/app-error.js'
import {envValue, type ResolvedPaths} from '../paths.js'
import {parseEnvAssignments} from './env-file.js'
import {createServiceHost, type ServiceHost} from './host.js'
import {parseMemoryMax, readMemoryFacts, resolveMemoryMax, type MemoryFacts} from './memory-max.js'
import {plistIsOurs, readUnitFacts} from './read-unit.js'
import {loadPlistTemplate, renderLaunchdPlist} from './render-plist.js'
import {loadUnitTemplate, renderSystemdUnit} from './render-unit.js'
import {pathsForRunAs, resolveRunAs} from './run-as.js'
import {chooseSystemdScope, launchdTarget, requireServiceManager, systemdTarget, type ScopeRequest, type ServiceTarget} from './scope.js'
import {buildServiceSpec, versionManagerWarning} from './service-spec.js'
import {servicePreflight} from './preflight.js'

/** Options of `gateway install` (operations.md §2.1, §4); onboarding passes the same. */
export interface InstallOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  /** Our version (config writes stamp it). */
  version: string
  /** The package root: `templates/` and `bin/run.js` live there. */
  packageRoot: string
  /** The Node binary for ExecStart (default: this process's, resolved). */
  nodePath?: string
  scope?: ScopeRequest
  runAs?: string
  port?: number
  /** `auto` | `<size>` | `<pct>%` | `none`; default: the installed unit's value, else auto. */
  memoryMax?: string
  /** `--env KEY=VALUE` values. */
  envAssignments?: readonly string[]
  force?: boolean
  noStart?: boolean
  /** Seconds to wait for readiness after starting (default 30; 0 skips the wait). */
  waitSeconds?: number
  /** A TTY: sudo may prompt. */
  interactive?: boolean
  memoryFacts?: MemoryFacts
  /** Injected host (tests); created from `env` otherwise. */
  host?: ServiceHost
}

/** Everything decided before any step runs: where, what bytes, and what the service will see. */
export interface InstallPlan {
  host: ServiceHost
  target: ServiceTarget
  servicePaths: ResolvedPaths
  rendered: string
  existing: string | null
  envUpserts: Array<[string, string]>
  /** The port the gateway will listen on (for the readiness wait). */
  port: number
  secret: string | undefined
  serviceUser: string
  notices: string[]
  warnings: string[]
}

/** Resolves scope, paths and options, runs the config preflight, and renders the file. Writes only the config (preflight). */
export async function planInstall(options: InstallOptions): Promise<InstallPlan> {
  const host = options.host ?? (await createServiceHost({env: options.env, interactive: options.interactive === true}))
  const manager = requireServiceManager(host)
  const warnings: string[] = []
  const notices: string[] = []
  const envUpserts = parseEnvAssignments(options.envAssignments ?? [])
  const memorySpec = options.memoryMax === undefined ? undefined : parseMemoryMax(options.memoryMax)
  const portFromEnv = envValue(options.env, 'OPENCLAW_GATEWAY_PORT')
  const explicitPort = options.port ?? (portFromEnv === undefined ? undefined : resolveGatewayPort({config: null, env: options.env}).port)

  let target: ServiceTarget
  let servicePaths = options.paths
  let runAs: {user: string; group: string} | null = null
  let owner: {uid: number; gid: number} | null = null
  let serviceUser = host.identity.user
  if (manager === 'launchd') {
    target = launchdTarget(host, {profile: options.paths.profile, home: options.paths.home})
  } else {
    const chosen = await chooseSystemdScope(host, options.scope ?? 'auto')
    notices.push(...chosen.notices)
    target = systemdTarget(host, chosen.scope, {profile: options.paths.profile, home: options.paths.home, stateDir: options.paths.stateDir})
    if (chosen.scope === 'system') {
      const installedUser = existsSync(target.unitPath) ? readUnitFacts(readFileSync(target.unitPath, 'utf8')).runAs : null
      const user = await resolveRunAs(host, options.runAs, installedUser, options.paths.home)
      servicePaths = pathsForRunAs(options.paths, options.env, user)
      runAs = {user: user.user, group: user.group}
      if (host.identity.uid === 0 && user.uid !== null && user.uid !== 0 && user.gid !== null) owner = {uid: user.uid, gid: user.gid}
      serviceUser = user.user
      if (user.user === 'root') warnings.push('The gateway will run as root; consider --run-as <user>')
      target = {...systemdTarget(host, 'system', {profile: servicePaths.profile, home: servicePaths.home, stateDir: servicePaths.stateDir}), notices: chosen.notices}
    }
    refuseOtherScope(host, target, servicePaths)
    host.scratchDir = servicePaths.stateDir
  }

  const existing = existsSync(target.unitPath) ? readFileSync(target.unitPath, 'utf8') : null
  const ours = existing === null || (manager === 'systemd' ? readUnitFacts(existing).generatedByOpenclaw : plistIsOurs(existing))
  if (!ours && options.force !== true) {
    throw new AppError('SERVICE_UNIT_FOREIGN', `${target.unitPath} wasn't written by openclaw; re-run with --force to replace it (a .bak copy is kept)`, {hint: ['openclaw gateway install --force']})
  }
  const installed = existing !== null && ours && manager === 'systemd' ? readUnitFacts(existing) : null

  const preflight = await servicePreflight({paths: servicePaths, env: options.env, version: options.version})
  notices.push(...preflight.notices)
  // Root wrote the run-as user's config: hand it back, or the service could not read it.
  if (owner !== null && preflight.changed.length > 0) chownOwned([servicePaths.stateDir, servicePaths.configPath], owner)
  const {loaded} = preflight
  const facts = options.memoryFacts ?? readMemoryFacts()
  const memory = resolveMemoryMax(memorySpec ?? (installed === null ? {kind: 'auto'} : installed.memoryMax === null ? {kind: 'none'} : parseMemoryMax(installed.memoryMax)), facts)
  const argPort = explicitPort ?? installed?.port ?? null
  const nodePath = options.nodePath ?? realpathSync(process.execPath)
  const nodeWarning = versionManagerWarning(nodePath)
  if (nodeWarning !== null) warnings.push(nodeWarning)
  if (target.scope === 'user' && memory.memoryMax !== null && !memoryDelegated(host.identity.uid)) {
    warnings.push("MemoryMax isn't enforced for user services on this system; the Node heap limit still applies")
  }

  const spec = buildServiceSpec({
    scope: target.scope,
    nodePath,
    entryPath: realpathSync(path.join(options.packageRoot, 'bin', 'run.js')),
    home: servicePaths.home,
    stateDir: servicePaths.stateDir,
    configPath: servicePaths.configPath,
    profile: servicePaths.profile,
    port: argPort,
    heapMiB: memory.heapMiB,
    unitName: target.manager === 'systemd' ? target.name : '',
    envFile: target.envFile ?? '',
    runAs,
    extraEnv: manager === 'launchd' ? envUpserts : undefined,
  })
  const rendered = manager === 'systemd' ? renderSystemdUnit(loadUnitTemplate(options.packageRoot), {spec, description: target.description, memoryMax: memory.memoryMax}) : renderLaunchdPlist(loadPlistTemplate(options.packageRoot), {spec, label: target.name})
  const port = argPort ?? resolveGatewayPort({config: loaded.config, authored: loaded.authored, env: {}}).port
  const auth = resolveGatewayAuth({config: loaded.config, authored: loaded.authored, flags: {}, env: options.env})
  return {host, target, servicePaths, rendered, existing, envUpserts, port, secret: auth.token ?? auth.password, serviceUser, notices, warnings}
}

function refuseOtherScope(host: ServiceHost, target: ServiceTarget, paths: ResolvedPaths): void {
  const other = systemdTarget(host, target.scope === 'user' ? 'system' : 'user', {profile: paths.profile, home: paths.home, stateDir: paths.stateDir})
  if (!existsSync(other.unitPath)) return
  const command = other.scope === 'system' ? 'sudo openclaw gateway uninstall --scope system' : 'openclaw gateway uninstall --scope user'
  throw new AppError('SERVICE_SCOPE_CONFLICT', `a ${other.scope}-level ${other.name} already exists (${other.unitPath}); remove it first: ${command}`, {hint: [command]})
}

function chownOwned(files: string[], owner: {uid: number; gid: number}): void {
  for (const file of files) {
    try {
      chownSync(file, owner.uid, owner.gid)
    } catch {
      // a missing file has nothing to hand back
    }
  }
}

/** The memory controller is delegated to user managers when user@<uid>.service lists it. */
function memoryDelegated(uid: number): boolean {
  try {
    return readFileSync(`/sys/fs/cgroup/user.slice/user-${uid}.slice/user@${uid}.service/cgroup.controllers`, 'utf8').split(/\s+/).includes('memory')
  } catch {
    return false
  }
}
