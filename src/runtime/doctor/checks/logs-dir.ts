import {accessSync, constants} from 'node:fs'
import path from 'node:path'

import {tildify} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'
import {lstatOrNull} from '../fs-inspect.js'

/** `<state>/logs` (service stdout/stderr): a real, writable, private dir once it exists. */
export const logsDirCheck: DoctorCheck = {
  id: 'logs.dir',
  title: 'Logs dir',
  lint: false,
  inspect: (ctx) => {
    const dir = path.join(ctx.paths.stateDir, 'logs')
    const shown = tildify(dir, ctx.paths.home)
    const stats = lstatOrNull(dir)
    if (stats === undefined) return {status: 'pass', message: `${shown} (created when first needed)`}
    if (stats.isSymbolicLink() || !stats.isDirectory()) return {status: 'warn', message: `${shown} is not a plain directory`, fix: {summary: `move it aside: mv ${shown} ${shown}.old`, safe: false}}
    try {
      accessSync(dir, constants.W_OK)
    } catch {
      return {status: 'warn', message: `${shown} is not writable`, fix: {summary: `chmod 700 ${shown}`, safe: false}}
    }
    return {status: 'pass', message: shown}
  },
}
