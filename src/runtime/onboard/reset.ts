import {existsSync, mkdirSync, renameSync} from 'node:fs'
import path from 'node:path'

import {compactStamp} from '../doctor/backup-session.js'
import {listDir} from '../doctor/fs-inspect.js'
import {ensureDir} from '../state/ensure-state-dir.js'

export type ResetScope = 'config' | 'config+creds+sessions' | 'full'

/**
 * Onboarding's Reset: moves (never deletes) the files of `scope` into
 * `<state>/backups/onboard-reset-<ts>/`, keeping their paths relative to the state dir.
 * Returns the backup dir and what moved.
 */
export function resetState(stateDir: string, configPath: string, scope: ResetScope, workspaces: string[], now: Date): {dir: string; moved: string[]} {
  const dir = path.join(stateDir, 'backups', `onboard-reset-${compactStamp(now)}`)
  const targets = [configPath]
  if (scope !== 'config') {
    targets.push(path.join(stateDir, 'credentials'), path.join(stateDir, '.env'))
    const agents = path.join(stateDir, 'agents')
    for (const agent of listDir(agents)) targets.push(path.join(agents, agent, 'sessions'), path.join(agents, agent, 'agent', 'auth-profiles.json'))
  }
  if (scope === 'full') targets.push(...workspaces)
  const moved: string[] = []
  for (const source of targets) {
    if (!existsSync(source)) continue
    ensureDir(path.join(stateDir, 'backups'), 0o700)
    ensureDir(dir, 0o700)
    const rel = path.relative(stateDir, source)
    const dest = rel.startsWith('..') || path.isAbsolute(rel) ? path.join(dir, 'external', source) : path.join(dir, rel)
    mkdirSync(path.dirname(dest), {recursive: true, mode: 0o700})
    renameSync(source, dest)
    moved.push(source)
  }
  return {dir, moved}
}
