import type {z} from 'zod'

import type {PathSegment} from '../issues.js'
import {metaOf, type ConfigMeta} from './primitives.js'

/**
 * Walking the zod schema by config path: the one place that reads zod's internals (`_zod.def`),
 * shared by validation messages, `describeConfigPath` and the reference doc.
 */

export type SchemaNode = z.core.$ZodType

/** A value schema with the wrappers around it peeled off. */
export interface Unwrapped {
  /** The value schema (object, string, union, …). */
  node: SchemaNode
  /** Every layer from the outside in, `node` last (metadata may sit on any of them). */
  layers: SchemaNode[]
  /** The outermost `.default()` / `.prefault()` wrapper, if any. */
  defaulted?: SchemaNode
}

interface Def {
  type: string
  innerType?: SchemaNode
  in?: SchemaNode
  shape?: Record<string, SchemaNode>
  catchall?: SchemaNode
  keyType?: SchemaNode
  valueType?: SchemaNode
  element?: SchemaNode
  options?: readonly SchemaNode[]
  entries?: Record<string, string | number>
  values?: readonly unknown[]
  defaultValue?: unknown
  checks?: readonly SchemaNode[]
  format?: string
}

/** The node's definition (zod keeps it on `_zod.def`). */
export function defOf(node: SchemaNode): Def {
  return node._zod.def as unknown as Def
}

const WRAPPERS = new Set(['optional', 'nullable', 'readonly', 'nonoptional', 'catch', 'default', 'prefault'])

/** Peels optional/nullable/default/prefault/readonly wrappers (and `pipe`/`lazy`, input side). */
export function unwrap(node: SchemaNode): Unwrapped {
  const layers: SchemaNode[] = []
  let defaulted: SchemaNode | undefined
  let current = node
  for (let depth = 0; depth < 32; depth++) {
    layers.push(current)
    const def = defOf(current)
    if ((def.type === 'default' || def.type === 'prefault') && defaulted === undefined) defaulted = current
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) current = def.innerType
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in
    // `_zod.innerType` is the lazy's cached build; calling `def.getter` would build a new one.
    else if (def.type === 'lazy') current = (current._zod as unknown as {innerType: SchemaNode}).innerType
    else break
  }
  return {node: current, layers, defaulted}
}

/** Metadata merged over every layer (inner layers first, so an outer description wins). */
export function layeredMeta(unwrapped: Unwrapped): ConfigMeta {
  let merged: ConfigMeta = {}
  for (let i = unwrapped.layers.length - 1; i >= 0; i--) merged = {...merged, ...metaOf(unwrapped.layers[i])}
  return merged
}

/** The default value a node supplies when its key is absent (a prefault runs through the schema). */
export function defaultOf(unwrapped: Unwrapped): {value: unknown} | undefined {
  if (unwrapped.defaulted === undefined) return undefined
  const def = defOf(unwrapped.defaulted)
  if (def.type === 'default') return {value: def.defaultValue}
  const parsed = (unwrapped.defaulted as z.ZodType).safeParse(undefined, {jitless: true})
  return parsed.success ? {value: parsed.data} : undefined
}

/** The schemas a path segment can lead to from `node` (several through a union). */
export function childrenOf(node: SchemaNode, segment: PathSegment): SchemaNode[] {
  const {node: value} = unwrap(node)
  const def = defOf(value)
  switch (def.type) {
    case 'object': {
      if (typeof segment !== 'string') return []
      const own = def.shape !== undefined && Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined
      if (own !== undefined) return [own]
      return def.catchall !== undefined && defOf(def.catchall).type !== 'never' ? [def.catchall] : []
    }
    case 'record':
      // An all-digit path segment parses as a number, yet names a key here (`topics.5`).
      return def.valueType !== undefined ? [def.valueType] : []
    case 'array':
      return typeof segment === 'number' && def.element !== undefined ? [def.element] : []
    case 'union':
      return (def.options ?? []).flatMap((option) => childrenOf(option, segment))
    default:
      return []
  }
}

/** Every schema `segments` can lead to from `root`; empty when the path is unknown. */
export function nodesAt(root: SchemaNode, segments: readonly PathSegment[]): SchemaNode[] {
  let nodes = [root]
  for (const segment of segments) {
    nodes = nodes.flatMap((node) => childrenOf(node, segment))
    if (nodes.length === 0) return []
  }
  return nodes
}

/** The fixed keys of the object(s) a node describes (through unions), for did-you-mean. */
export function objectKeysOf(node: SchemaNode): string[] {
  const {node: value} = unwrap(node)
  const def = defOf(value)
  if (def.type === 'object') return Object.keys(def.shape ?? {})
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap(objectKeysOf))]
  return []
}
