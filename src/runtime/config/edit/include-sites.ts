import path from 'node:path'

import {AppError} from '../../errors/app-error.js'
import {tildify, type ResolvedPaths} from '../../paths.js'
import {isPlainObject} from '../deep-merge.js'
import {formatConfigPath, type PathSegment} from '../issues.js'
import {getAtPath} from './tree-ops.js'

/**
 * Where values come from when the top file uses `$include` (config.md §5, §10.2): owned writes
 * never rewrite included files, so an edit of an included value is written as a sibling key
 * next to the `$include`, and what cannot be expressed that way is refused.
 */

/** The included file a path's value came from: the longest origin entry that is the path or an ancestor. */
export function originOf(origins: ReadonlyMap<string, string>, segments: readonly PathSegment[]): string | undefined {
  for (let length = segments.length; length >= 0; length--) {
    const file = origins.get(formatConfigPath(segments.slice(0, length)))
    if (file !== undefined) return file
  }
  return undefined
}

/** `./gateway.json5` for a file beside the config (or below it), else the absolute path with `~`. */
export function displayIncludedFile(file: string, configPath: string, home: string): string {
  const rel = path.relative(path.dirname(configPath), file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel.split(path.sep).join('/')}` : tildify(file, home)
}

/** `<path> comes from ./x.json5 (via $include); edit that file instead`. */
export function comesFromIncludeMessage(rendered: string, shownFile: string): string {
  return `${rendered} comes from ${shownFile} (via $include); edit that file instead`
}

/** Rendered paths of every object holding a `$include` key (`''` for the root). */
export function includeSitePaths(tree: unknown): string[] {
  const out: string[] = []
  const walk = (node: unknown, at: PathSegment[]) => {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...at, index]))
    else if (isPlainObject(node)) {
      if (Object.hasOwn(node, '$include')) out.push(formatConfigPath(at))
      for (const [key, value] of Object.entries(node)) if (key !== '$include') walk(value, [...at, key])
    }
  }
  walk(tree, [])
  return out
}

/**
 * For a write at `segments`: the include site on the way that cannot take the value as a sibling
 * key, or null. A sibling works only when the site's resolved value is an object and the step
 * below it is a key; an index into an included array, or a key below an included non-object,
 * must be edited in the included file.
 */
export function blockingIncludeSite(topTree: unknown, authored: unknown, segments: readonly PathSegment[]): PathSegment[] | null {
  let node = topTree
  for (let depth = 0; depth < segments.length; depth++) {
    if (isPlainObject(node) && Object.hasOwn(node, '$include')) {
      const here = segments.slice(0, depth)
      const resolved = getAtPath(authored, here)
      const key = segments[depth]
      const siblingHoldsIt = Object.hasOwn(node, String(key))
      if (!siblingHoldsIt && (typeof key === 'number' || (resolved.found && !isPlainObject(resolved.value)))) return here
    }
    const next = getAtPath(node, [segments[depth]])
    if (!next.found) return null
    node = next.value
  }
  return null
}

/** CONFIG_EDIT_REFUSED `<path> comes from ./x.json5 (via $include); edit that file instead[, <escape>]`. */
export function includeRefusal(rendered: string, file: string | undefined, paths: Pick<ResolvedPaths, 'configPath' | 'home'>, escape?: string): AppError {
  const shown = file === undefined ? 'an included file' : displayIncludedFile(file, paths.configPath, paths.home)
  const message = comesFromIncludeMessage(rendered, shown) + (escape === undefined ? '' : `, ${escape}`)
  return new AppError('CONFIG_EDIT_REFUSED', message, {hint: file === undefined ? [] : [`Edit the included file: ${tildify(file, paths.home)}`]})
}

/**
 * Refuses a new top tree that lost an `$include` site of the old one (that would silently drop
 * everything the included file provides), unless `allowed(site)` says the caller asked for it.
 */
export function refuseDroppedIncludes(
  before: unknown,
  after: unknown,
  origins: ReadonlyMap<string, string>,
  paths: Pick<ResolvedPaths, 'configPath' | 'home'>,
  escape: string,
  allowed: (site: string) => boolean = () => false,
): void {
  const remaining = new Set(includeSitePaths(after))
  const gone = includeSitePaths(before).find((site) => !remaining.has(site) && !allowed(site))
  if (gone === undefined) return
  throw includeRefusal(gone === '' ? '(root)' : gone, origins.get(gone), paths, escape)
}
