import {isPlainObject} from './deep-merge.js'
import type {PathSegment} from './issues.js'
import {isSecretConfigPath} from './schema/index.js'

/**
 * Every non-empty string the schema (or config.md §9's key names) marks secret, anywhere in
 * `config`: what loggers and reports redact wherever it appears.
 */
export function configSecretValues(config: unknown): string[] {
  const out = new Set<string>()
  const visit = (node: unknown, at: PathSegment[]): void => {
    if (typeof node === 'string') {
      if (node !== '' && isSecretConfigPath(at)) out.add(node)
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...at, index]))
    } else if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) visit(value, [...at, key])
    }
  }
  visit(config, [])
  return [...out]
}
