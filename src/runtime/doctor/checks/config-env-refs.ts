import {formatIssue} from '../../config/issues.js'
import {tildify} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'

export const configEnvRefsCheck: DoctorCheck = {
  id: 'config.env-refs',
  title: 'Environment references',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    if (!ctx.config().exists) return {status: 'skip', message: 'skipped: no config file'}
    const missing = ctx.config().issues.filter((i) => i.code === 'CONFIG_ENV_MISSING')
    if (missing.length === 0) return {status: 'pass', message: 'every ${VAR} reference is set'}
    const dotenv = tildify(`${ctx.paths.stateDir}/.env`, ctx.paths.home)
    return {status: 'fail', message: missing.map((i) => formatIssue(i, ctx.paths.home)).join('; '), fix: {summary: `set the variable, e.g. add it to ${dotenv}`, safe: false}}
  },
}
