import {isPlainObject} from '../deep-merge.js'
import {formatConfigPath, type PathSegment} from '../issues.js'
import {treesEqual} from './tree-ops.js'

/**
 * The rendered leaf paths where two config trees differ (config.md §8 "structural diff";
 * `changedPaths` of protocol.md §6.3): objects are compared key by key and arrays index by
 * index. Where the two sides stop being the same kind of container, or a key or element exists
 * on one side only, every leaf below that point on either side is reported (an empty object or
 * array counts as a leaf). Sorted, without duplicates.
 */
export function diffConfigPaths(before: unknown, after: unknown): string[] {
  const out: string[] = []
  walk(before, after, [], out)
  return [...new Set(out)].sort()
}

function walk(before: unknown, after: unknown, at: PathSegment[], out: string[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)])
    for (const key of keys) {
      const inBefore = Object.hasOwn(before, key)
      const inAfter = Object.hasOwn(after, key)
      if (inBefore && inAfter) walk(before[key], after[key], [...at, key], out)
      else leaves(inBefore ? before[key] : after[key], [...at, key], out)
    }
    return
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length)
    for (let index = 0; index < length; index++) {
      if (index < before.length && index < after.length) walk(before[index], after[index], [...at, index], out)
      else leaves(index < before.length ? before[index] : after[index], [...at, index], out)
    }
    return
  }
  if (treesEqual(before, after)) return
  leaves(before, at, out)
  leaves(after, at, out)
}

function leaves(node: unknown, at: PathSegment[], out: string[]): void {
  if (isPlainObject(node) && Object.keys(node).length > 0) {
    for (const [key, value] of Object.entries(node)) leaves(value, [...at, key], out)
  } else if (Array.isArray(node) && node.length > 0) {
    node.forEach((item, index) => leaves(item, [...at, index], out))
  } else if (node !== undefined) out.push(formatConfigPath(at))
}
