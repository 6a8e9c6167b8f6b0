import {unlinkSync} from 'node:fs'

import {tildify} from '../../paths.js'
import {isProcessAlive} from '../../state/file-lock.js'
import type {DoctorCheck} from '../doctor-check.js'
import {walkTree} from '../fs-inspect.js'

/** `.<name>.<pid>.<rand>.tmp`, as `writeFileAtomic` names its temp files. */
const TEMP_RE = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/

/** The temp files under `dir` left by a writer that died (its PID is gone). Workspaces and backups are not searched. */
export function findStaleTemps(dir: string): string[] {
  return walkTree(dir, (rel) => /^(workspace(-[^/]*)?|backups)(\/|$)/.test(rel))
    .filter(({rel, stats}) => {
      const match = TEMP_RE.exec(rel.split('/').pop() ?? '')
      return stats.isFile() && match !== null && !isProcessAlive(Number(match[2]))
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
