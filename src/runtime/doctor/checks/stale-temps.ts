import {unlinkSync} from 'node:fs'

import {tildify} from '../../paths.js'
import {isProcessAlive} from '../../state/file-lock.js'
import {tempWriterPid} from '../../state/stale-temps.js'
import type {DoctorCheck} from '../doctor-check.js'
import {walkTree} from '../fs-inspect.js'

/** The temp files under `dir` left by a writer that died (its PID is gone). Workspaces and backups are not searched. */
export function findStaleTemps(dir: string): string[] {
  return walkTree(dir, (rel) => /^(workspace(-[^/]*)?|backups)(\/|$)/.test(rel))
    .filter(({rel, stats}) => {
      const pid = tempWriterPid(rel.split('/').pop() ?? '')
      return stats.isFile() && pid !== undefined && !isProcessAlive(pid)
    })
    .map((e) => e.path)
}

export const staleTempsCheck: DoctorCheck = {
  id: 'state.stale-temps',
  title: 'Leftover temp files',
  lint: true,
  inspect: (ctx) => {
    const stale = findStaleTemps(ctx.paths.stateDir)
    if (stale.length === 0) return {status: 'pass', message: 'no leftover temp files'}
    const shown = stale.map((f) => tildify(f, ctx.paths.home))
    return {
      status: 'warn',
      message: `temp files of interrupted writes: ${shown.join(', ')}`,
      fix: {summary: 'remove them (the files they were replacing are intact)', safe: true, command: ctx.fixCommand()},
      repair: () => {
        for (const file of stale) {
          ctx.backup.saveFile('state.stale-temps', 'delete', file)
          unlinkSync(file)
        }
        return {actions: shown.map((s) => `removed ${s}`), files: stale}
      },
    }
  },
}
