import {tryParseConfigPath} from '../../config/edit/path-syntax.js'
import {unsetAtPath} from '../../config/edit/tree-ops.js'
import {formatIssue, type ConfigIssue} from '../../config/issues.js'
import {writeDoctorConfig} from '../config-write.js'
import type {DoctorCheck} from '../doctor-check.js'

/** Issues a key removal repairs: unknown and unsupported keys (type errors get a hint only). */
function removable(issue: ConfigIssue, configPath: string): boolean {
  return (issue.file === undefined || issue.file === configPath) && /not supported by this version|unknown (key|channel)|unrecognized key/i.test(issue.message)
}

export const configSchemaCheck: DoctorCheck = {
  id: 'config.schema',
  title: 'Config schema',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    if (!ctx.config().exists) return {status: 'skip', message: 'skipped: no config file'}
    const issues = ctx.config().issues.filter((i) => i.code === 'CONFIG_INVALID')
    if (issues.length === 0) return {status: 'pass', message: 'config matches the schema'}
    const text = `${issues.length} issue${issues.length === 1 ? '' : 's'}: ${issues.map((i) => formatIssue(i, ctx.paths.home)).join('; ')}`
    const unknown = issues.filter((i) => removable(i, ctx.paths.configPath))
    if (unknown.length === 0) return {status: 'fail', message: text, fix: {summary: 'correct the values by hand; see: openclaw config validate', safe: false}}
    return {
      status: 'fail',
      message: text,
      fix: {summary: `remove ${unknown.map((i) => i.path).join(', ')} (backup kept)`, safe: false, command: ctx.fixCommand(' --yes')},
      repair: async () => {
        const changed = await writeDoctorConfig(ctx, 'config.schema', 'remove-unknown-keys', (tree) => {
          let out: unknown = tree
          for (const issue of unknown) {
            const segments = tryParseConfigPath(issue.path)
            if (segments !== null) out = unsetAtPath(out, segments).tree
          }
          return out as Record<string, unknown>
        })
        return changed ? {actions: unknown.map((i) => `removed ${i.path}`), files: [ctx.paths.configPath]} : {actions: [], files: []}
      },
    }
  },
}
