import {numberBounds} from './expected.js'
import {ConfigSchema} from './root.js'
import {defaultOf, defOf, layeredMeta, unwrap, type SchemaNode} from './walk.js'

/**
 * The Markdown config reference generated from the zod schema (README "Configuration"): one
 * table per root section with each key's type, default and description.
 */

interface Row {
  key: string
  type: string
  default: string
  description: string
}

/** Renders the reference: a `###` heading and a table per root section, in schema order. */
export function renderConfigReference(): string {
  const out: string[] = []
  for (const [section, node] of Object.entries(defOf(ConfigSchema).shape ?? {})) {
    const unwrapped = unwrap(node)
    out.push(`### \`${section}\``, '', layeredMeta(unwrapped).description ?? '', '')
    const rows: Row[] = []
    if (defOf(unwrapped.node).type === 'object') collectChildren(unwrapped.node, '', rows)
    else collect(node, section, rows)
    if (rows.length > 0) {
      out.push('| Key | Type | Default | Description |', '|---|---|---|---|')
      for (const row of rows) out.push(`| \`${row.key}\` | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.description)} |`)
      out.push('')
    }
  }
  return out.join('\n').trimEnd() + '\n'
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`
}

function collectChildren(object: SchemaNode, prefix: string, rows: Row[]): void {
  const def = defOf(object)
  for (const [key, child] of Object.entries(def.shape ?? {})) collect(child, join(prefix, key), rows)
  if (def.catchall !== undefined && defOf(def.catchall).type !== 'never') collect(def.catchall, join(prefix, '<NAME>'), rows)
}

/** A row for `node` at `key` (objects contribute their keys instead), then the rows inside it. */
function collect(node: SchemaNode, key: string, rows: Row[]): void {
  const unwrapped = unwrap(node)
  const meta = layeredMeta(unwrapped)
  const def = defOf(unwrapped.node)
  if (def.type === 'object' && !meta.docCollapse) return collectChildren(unwrapped.node, key, rows)
  const fallback = defaultOf(unwrapped)
  rows.push({key, type: typeLabel(node), default: fallback === undefined ? '—' : `\`${JSON.stringify(fallback.value)}\``, description: meta.description ?? ''})
  if (meta.docCollapse) return
  const inner = def.type === 'record' ? def.valueType : def.type === 'array' ? def.element : undefined
  if (inner !== undefined && isObject(inner) && !layeredMeta(unwrap(inner)).docCollapse) {
    collectChildren(unwrap(inner).node, def.type === 'record' ? `${key}.<id>` : `${key}[]`, rows)
  }
  if (def.type === 'union') {
    for (const option of def.options ?? []) if (isObject(option)) collectChildren(unwrap(option).node, key, rows)
  }
}

function isObject(node: SchemaNode): boolean {
  return defOf(unwrap(node).node).type === 'object'
}

/** A short type: `int 1–65535`, `loopback \| lan`, `string[]`, `map → string[]`, `secret`. */
function typeLabel(node: SchemaNode): string {
  const unwrapped = unwrap(node)
  const label = layeredMeta(unwrapped).typeLabel
  if (label !== undefined) return label
  const value = unwrapped.node
  const def = defOf(value)
  switch (def.type) {
    case 'number': {
      const {int, min, max} = numberBounds(value)
      const noun = int ? 'int' : 'number'
      if (min !== undefined && max !== undefined) return `${noun} ${min.value}–${max.value}`
      if (min !== undefined) return `${noun} ${min.inclusive ? '≥' : '>'} ${min.value}`
      return noun
    }
    case 'enum':
      return Object.values(def.entries ?? {}).join(' | ')
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ')
    case 'array': {
      if (def.element === undefined) return 'array'
      const element = isObject(def.element) ? 'object' : typeLabel(def.element)
      return element.includes(' ') ? `(${element})[]` : `${element}[]`
    }
    case 'record':
      return def.valueType === undefined ? 'map' : `map → ${isObject(def.valueType) ? 'object' : typeLabel(def.valueType)}`
    case 'union':
      return (def.options ?? []).map((o) => (isObject(o) ? 'object' : typeLabel(o))).join(' | ')
    case 'unknown':
    case 'any':
      return 'any'
    default:
      return def.type
  }
}
