import {existsSync, readFileSync} from 'node:fs'

import type {ResolvedPaths} from '../paths.js'
import {createServiceHost, hostRun, type ServiceHost} from './host.js'
import {plistIsOurs, readUnitFacts, type InstalledUnitFacts} from './read-unit.js'
import {launchdTarget, systemdTarget, type ServiceTarget} from './scope.js'

/** An installed gateway service of this profile. */
export interface InstalledService {
  target: ServiceTarget
  text: string
  facts: InstalledUnitFacts | null
  generatedByOpenclaw: boolean
}

/** The service manager of this host, or null (no systemd running, unsupported OS). */
export function serviceManagerOf(host: ServiceHost): 'systemd' | 'launchd' | null {
  if (host.platform === 'darwin') return 'launchd'
  return host.platform === 'linux' && existsSync(host.sys.systemdRunningProbe) ? 'systemd' : null
}

/**
 * Finds the installed unit or plist of this profile: the user unit first, then the system one
 * (or only `scope`). Reading needs no privileges; a system unit seen by a non-root user is
 * marked `privileged` so control steps go through sudo. Looks at files even when systemd is
 * not running, so `gateway status` can still describe them.
 */
export function locateInstalledServices(host: ServiceHost, paths: ResolvedPaths, scope?: 'user' | 'system'): InstalledService[] {
  const targets: ServiceTarget[] =
    host.platform === 'darwin'
      ? [launchdTarget(host, {profile: paths.profile, home: paths.home})]
      : (['user', 'system'] as const).filter((s) => scope === undefined || s === scope).map((s) => systemdTarget(host, s, {profile: paths.profile, home: paths.home, stateDir: paths.stateDir}))
  const found: InstalledService[] = []
  for (const target of targets) {
    if (!existsSync(target.unitPath)) continue
    const text = readFileSync(target.unitPath, 'utf8')
    const facts = target.manager === 'systemd' ? readUnitFacts(text) : null
    found.push({target, text, facts, generatedByOpenclaw: facts?.generatedByOpenclaw ?? plistIsOurs(text)})
  }
  return found
}

export interface UnitState {
  loaded: boolean
  enabled: boolean | null
  active: boolean
  subState: string | null
  pid: number | null
  restarts: number | null
  lastExitStatus: number | null
}

/** `systemctl show` (or `launchctl print`) for the unit; never throws. */
export async function readUnitState(host: ServiceHost, target: ServiceTarget): Promise<UnitState> {
  if (target.manager === 'launchd') {
    const r = await hostRun(host, 'launchctl', ['print', `gui/${host.identity.uid}/${target.name}`])
    const pid = /\bpid = (\d+)/.exec(r.stdout)?.[1]
    const last = /last exit code = (\d+)/.exec(r.stdout)?.[1]
    return {loaded: r.exitCode === 0, enabled: r.exitCode === 0, active: pid !== undefined, subState: pid === undefined ? null : 'running', pid: pid === undefined ? null : Number(pid), restarts: null, lastExitStatus: last === undefined ? null : Number(last)}
  }
  const r = await hostRun(host, 'systemctl', [...target.systemctlScope, 'show', target.name, '--property=LoadState,UnitFileState,ActiveState,SubState,MainPID,NRestarts,ExecMainStatus'], {timeoutMs: 10_000})
  const props = Object.fromEntries(r.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null)
  const pid = num(props.MainPID)
  return {
    loaded: props.LoadState === 'loaded',
    enabled: props.UnitFileState === undefined ? null : props.UnitFileState === 'enabled',
    active: props.ActiveState === 'active',
    subState: props.SubState ?? null,
    pid: pid === 0 ? null : pid,
    restarts: num(props.NRestarts),
    lastExitStatus: num(props.ExecMainStatus),
  }
}

export {createServiceHost}
