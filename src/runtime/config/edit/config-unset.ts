import {AppError} from '../../errors/app-error.js'
import {formatConfigPath} from '../issues.js'
import {runConfigEdit, type ConfigOpsContext, type EditResultFields} from './edit-pipeline.js'
import {includeRefusal, originOf} from './include-sites.js'
import {parseConfigPath} from './path-syntax.js'
import {getAtPath, unsetAtPath} from './tree-ops.js'

export interface UnsetConfigInput {
  path: string
  /** An absent path is a no-op instead of an error. */
  ifExists?: boolean
  dryRun?: boolean
}

/** `config unset --json` (config.md §10.2), plus warnings and the human reload hint. */
export interface UnsetConfigResult extends EditResultFields {
  path: string
}

/**
 * `openclaw config unset`: removes a key or array element from the top config file. Works for
 * keys the schema does not know (that is how an unknown key is repaired). An absent path is
 * CONFIG_PATH_NOT_FOUND (exit 1) unless `ifExists`; a value an `$include` provides is refused
 * (edit the included file).
 */
export async function unsetConfigValue(ctx: ConfigOpsContext, input: UnsetConfigInput): Promise<UnsetConfigResult> {
  const segments = parseConfigPath(input.path)
  const rendered = formatConfigPath(segments)
  const run = await runConfigEdit(ctx, 'unset', input.dryRun === true, ({current, old}) => {
    const removed = unsetAtPath(current.topTree, segments)
    // Removing a key that holds an `$include` is deliberate: the top file stops including that file.
    if (removed.removed) return removed.tree as Record<string, unknown>
    if (old.authored !== null && getAtPath(old.authored, segments).found) {
      throw includeRefusal(rendered, originOf(old.origins, segments), ctx.paths)
    }
    if (input.ifExists) return current.topTree
    throw new AppError('CONFIG_PATH_NOT_FOUND', `Config path not found: ${rendered}`, {
      hint: [`Nothing to remove; to ignore absent paths: openclaw config unset ${rendered} --if-exists`],
    })
  })
  const {changedPaths: _changed, ...fields} = run
  return {path: rendered, ...fields}
}
