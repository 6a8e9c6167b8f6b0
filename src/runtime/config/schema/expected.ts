import {defOf, layeredMeta, unwrap, type SchemaNode} from './walk.js'

/**
 * Words for what a schema node accepts and what a value is, for validation messages
 * (`expected an integer from 1 to 65535, received "abc"`, config.md §6.3).
 */

interface Bound {
  value: number
  inclusive: boolean
}

/** Numeric bounds and integer-ness of a number node, read from its checks. */
export function numberBounds(node: SchemaNode): {int: boolean; min?: Bound; max?: Bound} {
  const def = defOf(node)
  const out: {int: boolean; min?: Bound; max?: Bound} = {int: def.format !== undefined && def.format.includes('int')}
  for (const check of def.checks ?? []) {
    const c = check._zod.def as unknown as {check: string; value?: unknown; inclusive?: boolean; format?: string}
    if (c.check === 'number_format' && c.format?.includes('int')) out.int = true
    if (typeof c.value !== 'number') continue
    const bound = {value: c.value, inclusive: c.inclusive === true}
    if (c.check === 'greater_than' && (out.min === undefined || bound.value > out.min.value)) out.min = bound
    if (c.check === 'less_than' && (out.max === undefined || bound.value < out.max.value)) out.max = bound
  }
  return out
}

function numberWords(node: SchemaNode): string {
  const {int, min, max} = numberBounds(node)
  const noun = int ? 'an integer' : 'a number'
  if (min !== undefined && max !== undefined && min.inclusive && max.inclusive) return `${noun} from ${min.value} to ${max.value}`
  const parts: string[] = []
  if (min !== undefined) parts.push(min.inclusive ? `of at least ${min.value}` : `greater than ${min.value}`)
  if (max !== undefined) {
    const words = max.inclusive ? `at most ${max.value}` : `less than ${max.value}`
    parts.push(min !== undefined ? `and ${words}` : max.inclusive ? `of ${words}` : words)
  }
  return parts.length === 0 ? noun : `${noun} ${parts.join(' ')}`
}

function stringWords(node: SchemaNode): string {
  const def = defOf(node)
  if (def.format === 'url') return 'a URL'
  if (def.format === 'ipv4') return 'an IPv4 address'
  const checks = (def.checks ?? []).map((c) => c._zod.def as unknown as {check: string; minimum?: number; format?: string})
  if (checks.some((c) => c.check === 'string_format')) return 'a string in the required format'
  if (checks.some((c) => c.check === 'min_length' && (c.minimum ?? 0) > 0)) return 'a non-empty string'
  return 'a string'
}

/** What `node` accepts, in words (`a boolean`, `one of loopback|lan|custom|auto`). */
export function expectedOf(node: SchemaNode): string {
  const unwrapped = unwrap(node)
  const meta = layeredMeta(unwrapped)
  if (meta.expected !== undefined) return meta.expected
  const value = unwrapped.node
  const def = defOf(value)
  switch (def.type) {
    case 'string':
      return stringWords(value)
    case 'number':
      return numberWords(value)
    case 'boolean':
      return 'a boolean'
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).join('|')}`
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ')
    case 'array':
      return 'an array'
    case 'object':
    case 'record':
      return 'an object'
    case 'union':
      return [...new Set((def.options ?? []).map(expectedOf))].join(' or ')
    default:
      return 'a value'
  }
}

/** A value in words: strings quoted (secrets never shown), objects and arrays by kind. */
export function describeReceived(input: unknown, secret = false): string {
  if (input === undefined) return 'nothing'
  if (typeof input === 'string') {
    if (secret) return `a string of ${input.length} characters`
    return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input)
  }
  if (input === null || typeof input === 'number' || typeof input === 'boolean') return String(input)
  if (Array.isArray(input)) return 'an array'
  return typeof input === 'object' ? 'an object' : typeof input
}
