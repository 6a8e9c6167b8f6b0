import {accessSync, constants} from 'node:fs'

import {tildify} from '../../paths.js'
import {ensureStateDir} from '../../state/ensure-state-dir.js'
import type {DoctorCheck} from '../doctor-check.js'
import {lstatOrNull} from '../fs-inspect.js'

export const stateDirCheck: DoctorCheck = {
  id: 'paths.state-dir',
  title: 'State directory',
  lint: true,
  inspect: (ctx) => {
    const dir = ctx.paths.stateDir
    const shown = tildify(dir, ctx.paths.home)
    const stats = lstatOrNull(dir)
    if (stats === undefined) {
      return {
        status: 'warn',
        message: `${shown} does not exist yet`,
        fix: {summary: `create ${shown} (0700)`, safe: true, command: ctx.fixCommand()},
        repair: () => {
          ensureStateDir(dir)
          ctx.backup.record({check: 'paths.state-dir', action: 'mkdir', path: dir, mode: '0700'})
          return {actions: [`created ${shown} (0700)`], files: [dir]}
        },
      }
    }
    const real = stats.isSymbolicLink() ? lstatOrNull(dir + '/.') : stats
    if (real === undefined || !real.isDirectory()) return {status: 'fail', message: `${shown} is not a directory`, fix: {summary: `move it aside: mv ${shown} ${shown}.old`, safe: false}}
    if (typeof process.getuid === 'function' && real.uid !== process.getuid()) {
      return {status: 'fail', message: `${shown} is owned by uid ${real.uid}, not you`, fix: {summary: `sudo chown -R $(id -u) ${shown}`, safe: false}}
    }
    try {
      accessSync(dir, constants.W_OK | constants.X_OK)
    } catch {
      return {status: 'fail', message: `${shown} is not writable`, fix: {summary: `chmod 700 ${shown}`, safe: false}}
    }
    return {status: 'pass', message: shown}
  },
}
