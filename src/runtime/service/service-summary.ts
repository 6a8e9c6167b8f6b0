import type {ResolvedPaths} from '../paths.js'
import {serviceSystemPaths} from '../paths.js'
import type {ServiceHost} from './host.js'
import {locateInstalledServices, readUnitState, serviceManagerOf} from './locate.js'

/** The service part of `openclaw status` (operations.md §8). */
export interface ServiceSummary {
  manager: 'systemd' | 'launchd' | null
  scope: 'user' | 'system' | null
  name: string | null
  installed: boolean
  active: boolean | null
  pid: number | null
  lastExitStatus: number | null
  /** False for a unit of our name that openclaw did not write; null when none is installed. */
  generatedByOpenclaw: boolean | null
}

/**
 * Looks for an installed unit or plist without spawning anything unless one exists (then one
 * `systemctl show`), so `status` stays fast on machines without a service.
 */
export async function summarizeService(paths: ResolvedPaths, env: NodeJS.ProcessEnv): Promise<ServiceSummary> {
  const uid = process.getuid?.() ?? -1
  const host: ServiceHost = {env: {...env}, platform: process.platform, interactive: false, sys: serviceSystemPaths(env), identity: {uid, user: '', group: ''}, useSudo: false, scratchDir: paths.stateDir}
  const manager = serviceManagerOf(host)
  const [installed] = locateInstalledServices(host, paths)
  if (installed === undefined) return {manager, scope: null, name: null, installed: false, active: null, pid: null, lastExitStatus: null, generatedByOpenclaw: null}
  const state = manager === null ? null : await readUnitState(host, installed.target)
  return {
    manager: installed.target.manager,
    scope: installed.target.scope,
    name: installed.target.name,
    installed: true,
    active: state?.active ?? null,
    pid: state?.pid ?? null,
    lastExitStatus: state?.lastExitStatus ?? null,
    generatedByOpenclaw: installed.generatedByOpenclaw,
  }
}
