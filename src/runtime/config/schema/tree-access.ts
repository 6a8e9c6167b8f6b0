import {formatConfigPath, type ConfigIssue, type PathSegment} from '../issues.js'

/**
 * Defensive reads of an unvalidated config tree for the cross-field rules, which run whether or
 * not the schema accepted the tree (so every issue is reported in one pass).
 */

export type Tree = Record<string, unknown>

export function isRecord(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at `keys` under `tree`, or undefined when any step is missing or not an object. */
export function valueAt(tree: unknown, keys: readonly PathSegment[]): unknown {
  let current = tree
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined
      current = current[key]
    } else {
      if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined
      current = current[key]
    }
  }
  return current
}

/** The object at `keys`, or an empty one when it is missing or not an object. */
export function recordAt(tree: unknown, keys: readonly PathSegment[]): Tree {
  const value = valueAt(tree, keys)
  return isRecord(value) ? value : {}
}

/** The array at `keys`, or an empty one. */
export function arrayAt(tree: unknown, keys: readonly PathSegment[]): unknown[] {
  const value = valueAt(tree, keys)
  return Array.isArray(value) ? value : []
}

/** A CONFIG_INVALID issue at `path`. */
export function configIssue(path: readonly PathSegment[], message: string): ConfigIssue {
  return {path: formatConfigPath(path), message, code: 'CONFIG_INVALID'}
}

/** Issues for regex sources that do not compile with `flags`. */
export function regexIssues(tree: unknown, path: readonly PathSegment[], flags: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  arrayAt(tree, path).forEach((source, index) => {
    if (typeof source !== 'string') return
    try {
      new RegExp(source, flags)
    } catch (error) {
      issues.push(configIssue([...path, index], `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`))
    }
  })
  return issues
}
