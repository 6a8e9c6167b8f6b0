import {AppError} from '../../errors/app-error.js'
import {deepMerge, isPlainObject} from '../deep-merge.js'
import {formatConfigPath, type PathSegment} from '../issues.js'
import {parseJson5} from '../json5-file.js'
import {describeConfigPath} from '../schema/index.js'
import {notFound} from './config-get.js'
import {runConfigEdit, type ConfigOpsContext, type EditResultFields} from './edit-pipeline.js'
import {blockingIncludeSite, includeRefusal, originOf, refuseDroppedIncludes} from './include-sites.js'
import {parseConfigPath} from './path-syntax.js'
import {getAtPath, setAtPath} from './tree-ops.js'

export interface SetConfigInput {
  path: string
  /** The value as typed: JSON5, else a raw string (kept raw where the schema expects a string). */
  value: string
  /** Refuse a value that is not JSON5 instead of taking it as a string (exit 2). */
  strictJson?: boolean
  /** Deep-merge an object value into the existing object. */
  merge?: boolean
  /** Replace the existing object even when that drops keys. */
  replace?: boolean
  dryRun?: boolean
}

/** `config set --json` (config.md §10.2), plus warnings and the human reload hint. */
export interface SetConfigResult extends EditResultFields {
  path: string
}

/**
 * `openclaw config set`: writes one value into the top config file through the owned-write
 * pipeline. Values provided by an `$include` are overridden with a sibling key next to it. An
 * object that would drop existing keys needs `merge` or `replace`. Refusals: unknown path
 * (CONFIG_PATH_NOT_FOUND), new issues, legacy section, include that cannot take a sibling.
 */
export async function setConfigValue(ctx: ConfigOpsContext, input: SetConfigInput): Promise<SetConfigResult> {
  const segments = parseConfigPath(input.path)
  const rendered = formatConfigPath(segments)
  const described = describeConfigPath(segments)
  if (!described.known) throw notFound(rendered, segments)
  const value = parseSetValue(input.value, {strictJson: input.strictJson === true, stringOnly: described.stringOnly})
  const run = await runConfigEdit(ctx, 'set', input.dryRun === true, ({current, old}) => {
    const top = current.topTree
    const blocked = blockingIncludeSite(top, old.authored, segments)
    if (blocked !== null) throw includeRefusal(rendered, originOf(old.origins, segments) ?? originOf(old.origins, blocked), ctx.paths)
    const existing = getAtPath(old.authored, segments)
    if (isPlainObject(value) && existing.found && isPlainObject(existing.value) && !input.merge && !input.replace) {
      const dropped = droppedKeys(existing.value, value, segments)
      if (dropped.length > 0) {
        throw new AppError('CONFIG_EDIT_REFUSED', `config set would remove ${dropped.join(', ')}; pass --merge to keep existing keys or --replace to drop them`, {
          // The value is not echoed: it may hold a secret.
          hint: [`Keep them: openclaw config set ${rendered} <value> --merge`, `Drop them: openclaw config set ${rendered} <value> --replace`],
        })
      }
    }
    const topExisting = getAtPath(top, segments)
    const next = input.merge && isPlainObject(value) ? deepMerge(topExisting.found ? topExisting.value : undefined, value) : value
    const tree = setAtPath(top, segments, next) as Record<string, unknown>
    if (!input.replace) refuseDroppedIncludes(top, tree, old.origins, ctx.paths, 'or pass --replace to replace the $include')
    return tree
  })
  const {changedPaths: _changed, ...fields} = run
  return {path: rendered, ...fields}
}

/**
 * The value of `config set`: JSON5 when it parses, else the raw text; where the schema expects
 * only a string the raw text is kept as typed (`0123`, `true`), though a JSON5-quoted string
 * loses its quotes. With `strictJson` a value that is
 * not JSON5 is a CONFIG_VALUE_INVALID usage error (exit 2).
 */
export function parseSetValue(raw: string, options: {strictJson: boolean; stringOnly: boolean}): unknown {
  const parsed = parseJson5(raw)
  if (options.strictJson) {
    if (parsed.ok) return parsed.value
    throw new AppError('CONFIG_VALUE_INVALID', `--strict-json: the value is not valid JSON5 (${parsed.line}:${parsed.column}: ${parsed.message})`, {
      hint: [`Quote a string as JSON: openclaw config set <path> '"text"' --strict-json`, 'Or drop --strict-json to take the text as a string'],
    })
  }
  if (!parsed.ok) return raw
  // A quoted string still loses its quotes; `0123`, `true`, `1e3` stay as typed.
  if (options.stringOnly) return typeof parsed.value === 'string' ? parsed.value : raw
  return parsed.value
}

/** Rendered paths of keys in `existing` that `next` does not have, recursing into objects both hold. */
function droppedKeys(existing: Record<string, unknown>, next: Record<string, unknown>, at: readonly PathSegment[]): string[] {
  const out: string[] = []
  for (const [key, value] of Object.entries(existing)) {
    if (!Object.hasOwn(next, key)) out.push(formatConfigPath([...at, key]))
    else if (isPlainObject(value) && isPlainObject(next[key])) out.push(...droppedKeys(value, next[key] as Record<string, unknown>, [...at, key]))
  }
  return out
}
