import {chmodSync} from 'node:fs'

import {tildify} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'
import {lstatOrNull, modeString, walkTree} from '../fs-inspect.js'

/** Workspaces are user content and keep the user's modes (config.md §11). */
const USER_CONTENT = /^workspace(-[^/]*)?(\/|$)/

/** The mode a state file or dir should have: group and other bits cleared, the owner's kept (never loosened). */
export function tightenedMode(mode: number): number {
  return mode & 0o7700
}

/**
 * Every dir and file in `<state>` (workspaces excepted) has no group/other access: dirs 0700,
 * files 0600 (config.md §11). Runs after the migrations that move files, so one pass settles it.
 */
export const statePermissionsCheck: DoctorCheck = {
  id: 'state.permissions',
  title: 'State file permissions',
  lint: true,
  inspect: (ctx) => {
    const dir = ctx.paths.stateDir
    const root = lstatOrNull(dir)
    if (root === undefined || !root.isDirectory()) return {status: 'skip', message: 'skipped: no state dir'}
    const loose = [{path: dir, rel: '.', stats: root}, ...walkTree(dir, (rel) => USER_CONTENT.test(rel))].filter(
      ({stats}) => !stats.isSymbolicLink() && (stats.isDirectory() || stats.isFile()) && (stats.mode & 0o077) !== 0,
    )
    if (loose.length === 0) return {status: 'pass', message: 'state dir 0700, files 0600'}
    const shown = loose.slice(0, 5).map(({rel, stats}) => `${rel} ${modeString(stats.mode)}`)
    return {
      status: 'warn',
      message: `${loose.length} path${loose.length === 1 ? '' : 's'} readable by others: ${shown.join(', ')}${loose.length > 5 ? ', …' : ''}`,
      fix: {summary: 'chmod dirs 0700 and files 0600 (group/other bits removed)', safe: true, command: ctx.fixCommand()},
      repair: () => {
        const actions: string[] = []
        for (const {path: p, stats} of loose) {
          const next = tightenedMode(stats.mode & 0o7777)
          ctx.backup.record({check: 'state.permissions', action: 'chmod', path: p, from: modeString(stats.mode), to: modeString(next)})
          chmodSync(p, next)
          actions.push(`chmod ${modeString(next)} ${tildify(p, ctx.paths.home)}`)
        }
        return {actions, files: loose.map((l) => l.path)}
      },
    }
  },
}
