import {existsSync, renameSync, rmdirSync} from 'node:fs'
import path from 'node:path'

import {tildify} from '../../paths.js'
import {ensureDir} from '../../state/ensure-state-dir.js'
import type {DoctorCheck} from '../doctor-check.js'
import {listDir, lstatOrNull} from '../fs-inspect.js'

/** `<state>/agent/` → `agents/<default>/agent/`; a file already present there is never replaced (ours is kept beside it). */
export const legacyAgentDirCheck: DoctorCheck = {
  id: 'state.legacy-agent-dir',
  title: 'Legacy agent dir',
  lint: true,
  inspect: (ctx) => {
    const from = path.join(ctx.paths.stateDir, 'agent')
    if (lstatOrNull(from)?.isDirectory() !== true) return {status: 'pass', message: 'no legacy agent dir'}
    const to = path.join(ctx.paths.stateDir, 'agents', ctx.defaultAgentId(), 'agent')
    const home = ctx.paths.home
    return {
      status: 'warn',
      message: `${tildify(from, home)} is the old agent dir`,
      fix: {summary: `move it to ${tildify(to, home)}`, safe: true, command: ctx.fixCommand()},
      repair: () => {
        ensureDir(path.join(ctx.paths.stateDir, 'agents'), 0o700)
        ensureDir(path.dirname(to), 0o700)
        if (!existsSync(to)) {
          renameSync(from, to)
          ctx.backup.record({check: 'state.legacy-agent-dir', action: 'move', path: to, from, to})
        } else {
          for (const name of listDir(from)) {
            let dest = path.join(to, name)
            for (let n = 1; existsSync(dest); n++) dest = path.join(to, `${name}.legacy-${n}`)
            renameSync(path.join(from, name), dest)
            ctx.backup.record({check: 'state.legacy-agent-dir', action: 'move', path: dest, from: path.join(from, name), to: dest})
          }
          rmdirSync(from)
        }
        return {actions: [`moved ${tildify(from, home)} to ${tildify(to, home)}`], files: [to]}
      },
    }
  },
}
