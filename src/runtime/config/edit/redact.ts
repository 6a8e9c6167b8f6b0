import {isPlainObject, setOwn} from '../deep-merge.js'
import type {PathSegment} from '../issues.js'
import {isSecretConfigPath} from '../schema/index.js'
import {REDACTED_PLACEHOLDER} from './merge-patch.js'
import {getAtPath} from './tree-ops.js'

/** A string that is exactly one `${NAME}` reference: shown as written, it reveals nothing. */
const WHOLE_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/

export interface RedactOptions {
  /** Where `tree` sits in the config (`['gateway']` when redacting `config get gateway`). */
  base?: readonly PathSegment[]
  /**
   * The authored config (before `${VAR}` substitution). A secret authored as a `${NAME}`
   * reference prints as that reference instead of the placeholder.
   */
  authored?: unknown
}

/**
 * Returns a copy of `tree` with every secret (config.md §9: schema `secret` fields, and
 * `token`/`password`/`secret`/`apiKey`/`key` under `models.providers` and `channels`) replaced by
 * `__OPENCLAW_REDACTED__`. A secret written as a `${NAME}` reference is shown as written. Empty
 * strings stay empty (nothing to hide, and "unset" is useful to see).
 */
export function redactConfigTree(tree: unknown, options: RedactOptions = {}): unknown {
  return visit(tree, [...(options.base ?? [])], options.authored)
}

function visit(node: unknown, at: PathSegment[], authored: unknown): unknown {
  if (typeof node === 'number' && isSecretConfigPath(at)) return REDACTED_PLACEHOLDER
  if (typeof node === 'string') {
    if (node === '' || !isSecretConfigPath(at)) return node
    if (WHOLE_REFERENCE.test(node)) return node
    const written = authored === undefined ? undefined : getAtPath(authored, at)
    if (written?.found && typeof written.value === 'string' && WHOLE_REFERENCE.test(written.value)) return written.value
    return REDACTED_PLACEHOLDER
  }
  if (Array.isArray(node)) return node.map((item, index) => visit(item, [...at, index], authored))
  if (isPlainObject(node)) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) setOwn(out, key, visit(value, [...at, key], authored))
    return out
  }
  return node
}
