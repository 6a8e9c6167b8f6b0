import {formatConfigPath, type PathSegment} from '../issues.js'
import {ConfigSchema} from './root.js'
import {closestKey} from './suggest.js'
import {childrenOf, defaultOf, defOf, layeredMeta, nodesAt, objectKeysOf, unwrap, type SchemaNode} from './walk.js'

/** What the schema says about one config path (for `config get`, `config set`, redaction). */
export interface ConfigPathInfo {
  /** The schema has a slot at this path (open maps accept any key). */
  known: boolean
  /** For an unknown path: the closest known path, rendered (`gateway.port`). */
  suggestion?: string
  /** The slot has a schema default (a section default is its fully defaulted object). */
  hasDefault: boolean
  defaultValue?: unknown
  /** Redacted in output (config.md §9). */
  isSecret: boolean
  /** A string is one of the accepted shapes. */
  acceptsString: boolean
  /** Only strings are accepted: `config set` keeps the raw text (`0123`, `true`). */
  stringOnly: boolean
}

/** Keys redacted by name under `models.providers` and `channels`, whatever the schema says (§9). */
const SECRET_KEY_NAMES = new Set(['token', 'password', 'secret', 'apiKey', 'key'])

/**
 * Walks the schema (objects, open maps, arrays, optionals, defaults, unions) along `segments`.
 * An all-digit segment must already be a number (array index), as the path parser produces.
 */
export function describeConfigPath(segments: readonly PathSegment[]): ConfigPathInfo {
  let nodes: SchemaNode[] = [ConfigSchema]
  for (let i = 0; i < segments.length; i++) {
    const next = nodes.flatMap((node) => childrenOf(node, segments[i]))
    if (next.length === 0) {
      return {known: false, suggestion: suggestPath(nodes, segments, i), hasDefault: false, isSecret: isSecretByName(segments), acceptsString: false, stringOnly: false}
    }
    nodes = next
  }
  const unwrapped = nodes.map(unwrap)
  const withDefault = unwrapped.find((u) => u.defaulted !== undefined)
  const fallback = withDefault === undefined ? undefined : defaultOf(withDefault)
  return {
    known: true,
    hasDefault: fallback !== undefined,
    ...(fallback === undefined ? {} : {defaultValue: fallback.value}),
    isSecret: isSecretByName(segments) || unwrapped.some((u) => layeredMeta(u).secret === true),
    acceptsString: nodes.some(acceptsString),
    stringOnly: nodes.every(stringOnly),
  }
}

/**
 * True for fields typed `secret` and for keys named token, password, secret, apiKey or key
 * anywhere under `models.providers` and `channels` (config.md §9), known to the schema or not.
 */
export function isSecretConfigPath(segments: readonly PathSegment[]): boolean {
  if (isSecretByName(segments)) return true
  return nodesAt(ConfigSchema, segments).some((node) => layeredMeta(unwrap(node)).secret === true)
}

function isSecretByName(segments: readonly PathSegment[]): boolean {
  const last = segments.at(-1)
  if (typeof last !== 'string' || !SECRET_KEY_NAMES.has(last)) return false
  return segments[0] === 'channels' || (segments[0] === 'models' && segments[1] === 'providers')
}

/** `gateway.prot` → `gateway.port` (with the rest of the path when that is known too). */
function suggestPath(parents: SchemaNode[], segments: readonly PathSegment[], at: number): string | undefined {
  const segment = segments[at]
  if (typeof segment !== 'string') return undefined
  const best = closestKey(segment, new Set(parents.flatMap(objectKeysOf)))
  if (best === undefined) return undefined
  const whole = [...segments.slice(0, at), best, ...segments.slice(at + 1)]
  return formatConfigPath(nodesAt(ConfigSchema, whole).length > 0 ? whole : whole.slice(0, at + 1))
}

function acceptsString(node: SchemaNode): boolean {
  const def = defOf(unwrap(node).node)
  switch (def.type) {
    case 'string':
    case 'unknown':
    case 'any':
      return true
    case 'enum':
      return Object.values(def.entries ?? {}).some((v) => typeof v === 'string')
    case 'literal':
      return (def.values ?? []).some((v) => typeof v === 'string')
    case 'union':
      return (def.options ?? []).some(acceptsString)
    default:
      return false
  }
}

function stringOnly(node: SchemaNode): boolean {
  const def = defOf(unwrap(node).node)
  switch (def.type) {
    case 'string':
      return true
    case 'enum':
      return Object.values(def.entries ?? {}).every((v) => typeof v === 'string')
    case 'literal':
      return (def.values ?? []).every((v) => typeof v === 'string')
    case 'union':
      return (def.options ?? []).every(stringOnly)
    default:
      return false
  }
}
