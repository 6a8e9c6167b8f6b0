import {existsSync} from 'node:fs'
import path from 'node:path'

import {tildify} from '../../paths.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'

const LEGACY_UNITS = ['clawdbot-gateway.service', 'moltbot-gateway.service']

function userUnitDir(ctx: DoctorContext): string {
  return path.join(ctx.paths.home, '.config', 'systemd', 'user')
}

/** `openclaw-gateway.service`, or `openclaw-gateway-<profile>.service` (operations.md §4.2). */
export function unitName(profile: string | null): string {
  return profile === null ? 'openclaw-gateway.service' : `openclaw-gateway-${profile}.service`
}

/**
 * The installed unit and legacy units. Rendering and drift comparison belong to the service
 * module (`gateway install`); until it is wired in, an installed unit passes with a note.
 */
export const serviceUnitCheck: DoctorCheck = {
  id: 'service.unit',
  title: 'Service unit',
  lint: false,
  inspect: (ctx) => {
    const dir = userUnitDir(ctx)
    const legacy = LEGACY_UNITS.filter((name) => existsSync(path.join(dir, name)))
    if (legacy.length > 0) {
      return {
        status: 'warn',
        message: `legacy service units: ${legacy.map((n) => tildify(path.join(dir, n), ctx.paths.home)).join(', ')}`,
        fix: {summary: `stop, disable and delete them: systemctl --user disable --now ${legacy.join(' ')} && rm ${legacy.map((n) => tildify(path.join(dir, n), ctx.paths.home)).join(' ')}`, safe: false},
      }
    }
    const unit = path.join(dir, unitName(ctx.paths.profile))
    if (existsSync(unit)) return {status: 'pass', message: `${tildify(unit, ctx.paths.home)} installed`}
    if (existsSync(path.join('/etc/systemd/system', unitName(ctx.paths.profile)))) return {status: 'pass', message: `system unit ${unitName(ctx.paths.profile)} installed`}
    return {status: 'skip', message: 'skipped: no gateway service installed (openclaw gateway install)'}
  },
}

export const serviceLingerCheck: DoctorCheck = {
  id: 'service.linger',
  title: 'Service linger',
  lint: false,
  inspect: (ctx) => {
    const unit = path.join(userUnitDir(ctx), unitName(ctx.paths.profile))
    if (!existsSync(unit)) return {status: 'skip', message: 'skipped: no systemd user service installed'}
    const user = ctx.env.USER ?? ctx.env.LOGNAME
    if (user !== undefined && existsSync(path.join('/var/lib/systemd/linger', user))) return {status: 'pass', message: `linger enabled for ${user}`}
    return {status: 'warn', message: 'the user service stops when you log out (linger is off)', fix: {summary: `loginctl enable-linger ${user ?? '$USER'}`, safe: false}}
  },
}
