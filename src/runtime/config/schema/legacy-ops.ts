import {isDeepStrictEqual} from 'node:util'

import {isRecord, type Tree} from './tree-access.js'

/**
 * The moves legacy migration is made of, over a tree it owns (a clone). Each records what
 * happened to a legacy key, so the loader can warn and doctor can tell safe from lossy.
 */

/** What happened to one legacy key (config.md §13). */
export interface LegacyChange {
  /** The legacy key as written: `agent.model`, `bindings[0].match.accountID`. */
  from: string
  /** Where the value went: `agents.defaults.model`; absent when it was dropped. */
  to?: string
  /**
   * moved: migrated without loss (safe). conflict: the destination already held a different
   * value and won; the legacy value is gone from the result (removing it in the file is lossy).
   * dropped: no supported destination; discarded in memory (lossy in the file).
   */
  kind: 'moved' | 'conflict' | 'dropped'
}

export class MigrationLog {
  readonly changes: LegacyChange[] = []

  record(from: string, kind: LegacyChange['kind'], to?: string): void {
    this.changes.push(to === undefined ? {from, kind} : {from, to, kind})
  }
}

/** Removes and returns `obj[key]`. */
export function take(obj: Tree, key: string): unknown {
  const value = obj[key]
  delete obj[key]
  return value
}

/** The object at `keys`, created (replacing non-objects is never done: returns undefined then). */
export function ensureRecord(tree: Tree, keys: readonly string[]): Tree | undefined {
  let current = tree
  for (const key of keys) {
    if (current[key] === undefined) current[key] = {}
    const next = current[key]
    if (!isRecord(next)) return undefined
    current = next
  }
  return current
}

/**
 * Puts `value` at `dest` unless something is already there. An equal value is a clean move;
 * with `merge`, two objects combine key by key (the destination wins each clash); any other
 * difference is a conflict and the destination stays.
 */
export function place(tree: Tree, dest: readonly string[], value: unknown, from: string, log: MigrationLog, merge = false): void {
  const to = dest.join('.')
  const parent = ensureRecord(tree, dest.slice(0, -1))
  const key = dest[dest.length - 1]
  if (parent === undefined) return log.record(from, 'conflict', to)
  const existing = parent[key]
  if (existing === undefined) {
    parent[key] = value
    return log.record(from, 'moved', to)
  }
  if (isDeepStrictEqual(existing, value)) return log.record(from, 'moved', to)
  if (merge && isRecord(existing) && isRecord(value)) {
    const clashes = Object.entries(value).filter(([k, v]) => existing[k] !== undefined && !isDeepStrictEqual(existing[k], v))
    for (const [k, v] of Object.entries(value)) if (existing[k] === undefined) existing[k] = v
    return log.record(from, clashes.length === 0 ? 'moved' : 'conflict', to)
  }
  log.record(from, 'conflict', to)
}

/**
 * Adds agent entries to `agents.list` by id (order kept): a new id is appended, an equal entry
 * is a clean move, a different entry with the same id is a conflict (the list's entry stays).
 */
export function mergeAgents(tree: Tree, entries: Tree[], from: string, log: MigrationLog): void {
  const agents = ensureRecord(tree, ['agents'])
  if (agents === undefined || (agents.list !== undefined && !Array.isArray(agents.list))) return log.record(from, 'conflict', 'agents.list')
  const list = (agents.list ?? []) as unknown[]
  let conflict = false
  for (const entry of entries) {
    const existing = list.find((item) => isRecord(item) && item.id === entry.id)
    if (existing === undefined) list.push(entry)
    else if (!isDeepStrictEqual(existing, entry)) conflict = true
  }
  agents.list = list
  log.record(from, conflict ? 'conflict' : 'moved', 'agents.list')
}

/** `{id: entry}` → `[{id, ...entry}]`, in key order. */
export function entriesToList(map: Tree): Tree[] {
  return Object.entries(map).map(([id, entry]) => ({id, ...(isRecord(entry) ? entry : {})}))
}

/** Index of the default agent in `agents.list` (`default: true`, else the first); -1 if empty. */
export function defaultAgentIndex(tree: Tree): number {
  const list = isRecord(tree.agents) && Array.isArray(tree.agents.list) ? tree.agents.list : []
  if (list.length === 0) return -1
  const flagged = list.findIndex((item) => isRecord(item) && item.default === true)
  return flagged === -1 ? 0 : flagged
}
