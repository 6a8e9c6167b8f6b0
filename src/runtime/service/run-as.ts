import {envValue, resolvePaths, type ResolvedPaths} from '../paths.js'
import {runCommand} from '../process.js'
import type {ServiceHost} from './host.js'

export interface RunAsUser {
  user: string
  group: string
  home: string
  uid: number | null
  gid: number | null
}

/**
 * The account a system unit runs as (operations.md §4.3): `--run-as`, else the installed unit's
 * `User=`, else SUDO_USER when root, else the current user; its home from the passwd database.
 */
export async function resolveRunAs(host: ServiceHost, requested: string | undefined, installed: string | null, currentHome: string): Promise<RunAsUser> {
  const sudoUser = host.identity.uid === 0 ? envValue(host.env, 'SUDO_USER') : undefined
  const user = requested ?? installed ?? sudoUser ?? host.identity.user
  if (user === host.identity.user) return {user, group: host.identity.group, home: currentHome, uid: host.identity.uid, gid: null}
  const [passwd, group] = await Promise.all([runCommand('getent', ['passwd', user], {env: host.env, timeoutMs: 5000}), runCommand('id', ['-gn', user], {env: host.env, timeoutMs: 5000})])
  const fields = passwd.exitCode === 0 ? passwd.stdout.trim().split(':') : []
  return {
    user,
    group: group.exitCode === 0 && group.stdout.trim() !== '' ? group.stdout.trim() : user,
    home: fields[5] || `/home/${user}`,
    uid: /^\d+$/.test(fields[2] ?? '') ? Number(fields[2]) : null,
    gid: /^\d+$/.test(fields[3] ?? '') ? Number(fields[3]) : null,
  }
}

/** The state dir and config of the run-as user: their home, unless the env pins the paths. */
export function pathsForRunAs(paths: ResolvedPaths, env: NodeJS.ProcessEnv, runAs: RunAsUser): ResolvedPaths {
  if (runAs.home === paths.home || envValue(env, 'OPENCLAW_STATE_DIR') !== undefined || envValue(env, 'OPENCLAW_CONFIG_PATH') !== undefined) return paths
  return resolvePaths({env: {...env, HOME: runAs.home, OPENCLAW_HOME: undefined}, cwd: paths.cwd, profileFlag: paths.profile ?? undefined})
}
