import {isPlainObject, setOwn} from '../deep-merge.js'
import {formatConfigPath, type PathSegment} from '../issues.js'
import {tryParseConfigPath} from './path-syntax.js'
import {treesEqual} from './tree-ops.js'

/** What secrets read as in output (config.md §9); in a patch it means "keep the current value". */
export const REDACTED_PLACEHOLDER = '__OPENCLAW_REDACTED__'

export interface MergePatchOptions {
  /** Paths (any §10.1 spelling) whose arrays are replaced wholesale, even when that drops entries. */
  replacePaths?: readonly string[]
}

export interface MergePatchResult {
  /** The patched tree; the inputs are not mutated. */
  value: unknown
  /** Rendered paths of arrays the patch would shrink, not listed in `replacePaths`: refuse the patch. */
  removals: string[]
  /** Rendered paths of `__OPENCLAW_REDACTED__` placeholders with no current value: refuse the patch. */
  unresolvedPlaceholders: string[]
  /**
   * Paths the patch set to `null` inside an existing object, whether or not the key was there:
   * a key an `$include` supplies survives the deletion, and callers refuse that.
   */
  nulledPaths: PathSegment[][]
}

/**
 * The one merge-patch function, shared by `openclaw config patch` and the `config.patch` RPC
 * (protocol.md §6.3; RFC 7396 plus arrays): objects merge recursively, `null` deletes, scalars
 * replace. An array whose current and patch elements are all objects with a string `id` merges
 * by id (matches merge recursively, new ids append, the rest stay); any other array replaces the
 * current one. A replacement that drops existing entries is reported in `removals` unless its
 * path is in `replacePaths` (a listed path is always replaced wholesale). A string equal to
 * {@link REDACTED_PLACEHOLDER} keeps the current value. Callers refuse the patch when
 * `removals` or `unresolvedPlaceholders` is non-empty, each with their own wording.
 */
export function applyMergePatch(target: unknown, patch: unknown, options: MergePatchOptions = {}): MergePatchResult {
  const replace = new Set((options.replacePaths ?? []).map(normalizePath))
  const result: MergePatchResult = {value: undefined, removals: [], unresolvedPlaceholders: [], nulledPaths: []}
  result.value = mergeValue(target, patch, [], replace, result)
  return result
}

function mergeValue(target: unknown, patch: unknown, at: PathSegment[], replace: Set<string>, out: MergePatchResult): unknown {
  if (patch === REDACTED_PLACEHOLDER) {
    if (target === undefined) out.unresolvedPlaceholders.push(formatConfigPath(at))
    return target ?? patch
  }
  if (isPlainObject(patch)) return mergeObject(isPlainObject(target) ? target : {}, patch, at, replace, out, isPlainObject(target))
  if (Array.isArray(patch)) return mergeArray(target, patch, at, replace, out)
  return patch
}

function mergeObject(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  at: PathSegment[],
  replace: Set<string>,
  out: MergePatchResult,
  targetExisted: boolean,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {...target}
  for (const [key, value] of Object.entries(patch)) {
    const path = [...at, key]
    if (value === null) {
      delete merged[key]
      if (targetExisted) out.nulledPaths.push(path)
      continue
    }
    setOwn(merged, key, mergeValue(Object.hasOwn(target, key) ? target[key] : undefined, value, path, replace, out))
  }
  return merged
}

function mergeArray(target: unknown, patch: unknown[], at: PathSegment[], replace: Set<string>, out: MergePatchResult): unknown[] {
  const rendered = formatConfigPath(at)
  // Elements of a replacement are themselves patched onto nothing, so nulls inside them vanish.
  const fresh = () => patch.map((item, index) => mergeValue(undefined, item, [...at, index], replace, out))
  if (replace.has(rendered) || !Array.isArray(target)) return fresh()
  if (patch.length > 0 && target.length > 0 && target.every(hasStringId) && patch.every(hasStringId)) {
    const merged: unknown[] = [...target]
    for (const item of patch) {
      const index = merged.findIndex((existing) => (existing as {id: string}).id === item.id)
      if (index === -1) merged.push(mergeValue(undefined, item, [...at, merged.length], replace, out))
      else merged[index] = mergeValue(merged[index], item, [...at, index], replace, out)
    }
    return merged
  }
  const next = fresh()
  if (target.some((existing) => !next.some((item) => treesEqual(existing, item)))) out.removals.push(rendered)
  return next
}

function hasStringId(value: unknown): value is {id: string} {
  return isPlainObject(value) && typeof value.id === 'string'
}

function normalizePath(path: string): string {
  const segments = tryParseConfigPath(path)
  return segments === null ? path : formatConfigPath(segments)
}
