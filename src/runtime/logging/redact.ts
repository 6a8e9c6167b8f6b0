import {formatConfigPath, type ConfigIssue} from '../config/issues.js'

/** What every redacted secret becomes (config.md §12). */
export const REDACTED = '[redacted]'

/** Shorter configured secrets are not replaced: they would shred ordinary words in every line. */
export const MIN_SECRET_LENGTH = 4

const MAX_DEPTH = 8
const MAX_ARRAY_ITEMS = 1000

interface Rule {
  pattern: RegExp
  replace: (match: string, ...groups: string[]) => string
}

const whole = (match: string) => (match === '' ? '' : REDACTED)
const keepPrefix = (_match: string, prefix: string) => `${prefix}${REDACTED}`

/** The `redactSensitive: "tools"` patterns: bearer tokens, `sk-` keys, bot tokens, secret params. */
const BUILT_IN_RULES: readonly Rule[] = [
  {pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: keepPrefix},
  {pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: whole},
  // No word-boundary before the digits: bot tokens sit right after "bot" in Bot API URLs.
  {pattern: /(?<!\d)\d{5,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, replace: whole},
  {pattern: /\b([A-Za-z_]*(?:token|password|passwd|secret|api_?key)=)(?!\[redacted\])[^\s&"'<>,;]+/gi, replace: keepPrefix},
  {pattern: /("[A-Za-z_]*(?:token|password|secret|api_?key)"\s*:\s*")(?!\[redacted\])[^"]+/gi, replace: keepPrefix},
]

/** Object keys whose string values are secrets (tool arguments, headers) in `tools` mode. */
const SENSITIVE_KEY = /(?:token|password|passwd|secret|api_?key|authorization)$/i

export interface RedactorOptions {
  /** Configured secret values (gateway token/password, bot tokens, API keys): always replaced. */
  secrets?: readonly string[]
  /** `tools` (default) adds the built-in patterns and sensitive-key redaction; `off` does not. */
  mode?: 'off' | 'tools'
  /** Compiled `logging.redactPatterns`; applied in both modes because the user asked for them. */
  patterns?: readonly RegExp[]
}

export interface Redactor {
  /** The text with every secret replaced by `[redacted]`. */
  text(value: string): string
  /**
   * A JSON-safe copy of `value` with every string redacted: cycles, depth > 8, bigint, Dates,
   * Errors and buffers become plain values; functions and symbols are dropped.
   */
  value(value: unknown): unknown
}

/**
 * Compiles `logging.redactPatterns` (global flag, case as written). Invalid sources are skipped
 * and reported as issues at `logging.redactPatterns[n]`.
 */
export function compileRedactPatterns(sources: readonly string[] | undefined): {patterns: RegExp[]; issues: ConfigIssue[]} {
  const patterns: RegExp[] = []
  const issues: ConfigIssue[] = []
  for (const [index, source] of (sources ?? []).entries()) {
    try {
      patterns.push(new RegExp(source, 'g'))
    } catch (error) {
      issues.push({
        path: formatConfigPath(['logging', 'redactPatterns', index]),
        message: `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
        code: 'CONFIG_INVALID',
      })
    }
  }
  return {patterns, issues}
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Builds the redactor every sink's text passes through (config.md §12, "Redaction"). */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const rules: Rule[] = []
  const secrets = [...new Set(options.secrets ?? [])].filter((s) => s.length >= MIN_SECRET_LENGTH)
  if (secrets.length > 0) {
    // Longest first, so a secret that contains another is replaced whole.
    secrets.sort((a, b) => b.length - a.length)
    rules.push({pattern: new RegExp(secrets.map(escapeRegExp).join('|'), 'g'), replace: whole})
  }
  const tools = (options.mode ?? 'tools') === 'tools'
  if (tools) rules.push(...BUILT_IN_RULES)
  for (const pattern of options.patterns ?? []) rules.push({pattern: pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + 'g'), replace: whole})

  const text = (input: string): string => {
    let out = input
    for (const rule of rules) {
      rule.pattern.lastIndex = 0
      out = out.replace(rule.pattern, rule.replace)
    }
    return out
  }

  const walk = (input: unknown, depth: number, ancestors: Set<object>): unknown => {
    switch (typeof input) {
      case 'string':
        return text(input)
      case 'number':
        return Number.isFinite(input) ? input : String(input)
      case 'boolean':
        return input
      case 'bigint':
        return input.toString()
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined
    }
    if (input === null) return null
    const object = input as object
    if (ancestors.has(object)) return '[circular]'
    if (depth >= MAX_DEPTH) return '[depth limit]'
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString()
    if (object instanceof Error) {
      const code = (object as NodeJS.ErrnoException).code
      return {name: object.name, message: text(object.message), ...(typeof code === 'string' ? {code} : {})}
    }
    if (ArrayBuffer.isView(object)) return `[${object.byteLength} bytes]`
    ancestors.add(object)
    try {
      if (Array.isArray(object) || object instanceof Set) {
        const items = [...(object as Iterable<unknown>)]
        const out = items.slice(0, MAX_ARRAY_ITEMS).map((item) => walk(item, depth + 1, ancestors) ?? null)
        if (items.length > MAX_ARRAY_ITEMS) out.push(`[${items.length - MAX_ARRAY_ITEMS} more]`)
        return out
      }
      const toJSON = (object as {toJSON?: unknown}).toJSON
      if (typeof toJSON === 'function') return walk(toJSON.call(object), depth + 1, ancestors)
      const entries = object instanceof Map ? [...object.entries()] : Object.entries(object)
      const out: Record<string, unknown> = {}
      for (const [key, item] of entries) {
        const name = String(key)
        if (tools && typeof item === 'string' && item !== '' && SENSITIVE_KEY.test(name)) {
          out[name] = REDACTED
          continue
        }
        const copy = walk(item, depth + 1, ancestors)
        if (copy !== undefined) out[name] = copy
      }
      return out
    } finally {
      ancestors.delete(object)
    }
  }

  return {text, value: (input) => walk(input, 0, new Set())}
}
