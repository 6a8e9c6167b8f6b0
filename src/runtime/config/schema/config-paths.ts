import {ConfigSchema} from './root.js'
import {childrenOf, objectKeysOf, type SchemaNode} from './walk.js'

/** Deep enough for every fixed key of the schema; records and arrays stop the walk (their keys are the user's). */
const MAX_DEPTH = 8

/**
 * Every config path made of fixed keys (`gateway`, `gateway.port`, `gateway.auth.token`, …), in
 * schema order, for shell completion. Keys under records (`models.providers.<id>`) and array
 * elements are not listed: they are the user's names.
 */
export function listConfigPaths(): string[] {
  const out = new Set<string>()
  const visit = (node: SchemaNode, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) return
    for (const key of objectKeysOf(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`
      out.add(path)
      for (const child of childrenOf(node, key)) visit(child, path, depth + 1)
    }
  }
  visit(ConfigSchema, '', 0)
  return [...out]
}
