import type {z} from 'zod'

import {formatConfigPath, type ConfigIssue, type PathSegment} from '../issues.js'
import {describeReceived, expectedOf} from './expected.js'
import {ConfigSchema, UNSUPPORTED_SECTIONS, type Config} from './root.js'
import {crossFieldIssues} from './rules.js'
import {closestKey} from './suggest.js'
import {defOf, layeredMeta, nodesAt, objectKeysOf, unwrap, type SchemaNode} from './walk.js'

type ZodIssue = z.core.$ZodIssue

const UNSUPPORTED_MESSAGE = 'not supported by this version of openclaw; remove it: openclaw config unset <path>'
const TAILNET_HINT = 'use bind "custom" with customBindHost set to your Tailscale IPv4'

/**
 * Validates an authored tree (after includes, legacy migration and `${VAR}` substitution)
 * against the schema and the cross-field rules. Every issue is collected, in the §6.3 wording;
 * `config` (every default applied) is null when there is any issue.
 */
export function validateConfigTree(tree: unknown): {config: Config | null; issues: ConfigIssue[]} {
  // jitless: the config is parsed once per load, so compiling zod's fast paths costs more than it saves.
  const parsed = ConfigSchema.safeParse(tree, {reportInput: true, jitless: true})
  const issues: ConfigIssue[] = []
  if (!parsed.success) for (const issue of parsed.error.issues) issues.push(...mapIssue(issue, ConfigSchema, []))
  issues.push(...crossFieldIssues(tree))
  const unique = dedupe(issues)
  return {config: parsed.success && unique.length === 0 ? parsed.data : null, issues: unique}
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((key) => (typeof key === 'number' ? key : String(key)))
}

function invalid(path: readonly PathSegment[], message: string): ConfigIssue {
  return {path: formatConfigPath(path), message, code: 'CONFIG_INVALID'}
}

/** One zod issue → our issues; `base` is the schema the issue's path is relative to (a union branch). */
function mapIssue(issue: ZodIssue, base: SchemaNode, prefix: PathSegment[]): ConfigIssue[] {
  const relative = toSegments(issue.path)
  const path = [...prefix, ...relative]
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(base, relative, path, key))
    case 'invalid_union':
      return unionIssues(issue, base, prefix)
    case 'invalid_key': {
      const record = nodesAt(base, relative.slice(0, -1))[0]
      const keyType = record === undefined ? undefined : defOf(unwrap(record).node).keyType
      const expected = keyType === undefined ? 'a valid key' : expectedOf(keyType)
      return [invalid(path, `invalid key ${JSON.stringify(String(relative.at(-1)))} (expected ${expected})`)]
    }
    case 'custom':
      return [invalid(path, issue.message.charAt(0).toLowerCase() + issue.message.slice(1))]
    default:
      return [valueIssue(issue, base, relative, path)]
  }
}

/** `expected <what the slot accepts>, received <value>` for type, range, format and enum issues. */
function valueIssue(issue: ZodIssue, base: SchemaNode, relative: PathSegment[], path: PathSegment[]): ConfigIssue {
  const found = nodesAt(base, relative)[0]
  const node = found === undefined ? undefined : branchFor(found, issue.input)
  const expected = node === undefined ? 'a valid value' : expectedOf(node)
  const secret = node !== undefined && layeredMeta(unwrap(node)).secret === true
  if (issue.input === undefined && issue.code === 'invalid_type') return invalid(path, `required: expected ${expected}, received nothing`)
  let message = `expected ${expected}, received ${describeReceived(issue.input, secret)}`
  if (formatConfigPath(path) === 'gateway.bind' && issue.input === 'tailnet') message += `; ${TAILNET_HINT}`
  return invalid(path, message)
}

const KINDS: Record<string, readonly string[]> = {
  string: ['string'],
  number: ['number'],
  boolean: ['boolean'],
  object: ['object', 'record'],
  array: ['array'],
}

/**
 * Zod reports the issues of the one union branch that had the value's kind directly, at the
 * union's path: word the message after that branch (`""` for a model ref is "expected a model
 * ref", not "a model ref or an object").
 */
function branchFor(node: SchemaNode, input: unknown): SchemaNode {
  const options = defOf(unwrap(node).node).options
  if (options === undefined || input === undefined) return node
  // `24h or false`: a union with a fixed-value branch reads best as a whole.
  if (options.some((option) => ['literal', 'enum'].includes(defOf(unwrap(option).node).type))) return node
  const kind = KINDS[Array.isArray(input) ? 'array' : input === null ? 'null' : typeof input] ?? []
  const matching = options.filter((option) => kind.includes(defOf(unwrap(option).node).type))
  return matching.length === 1 ? branchFor(matching[0], input) : node
}

function unknownKey(base: SchemaNode, relative: PathSegment[], path: PathSegment[], key: string): ConfigIssue {
  const at = [...path, key]
  if (path.length === 0 && (UNSUPPORTED_SECTIONS as readonly string[]).includes(key)) return invalid(at, UNSUPPORTED_MESSAGE)
  if (path.length === 1 && path[0] === 'channels') return invalid(at, `unknown channel "${key}" (no channel plugin provides it)`)
  const owner = nodesAt(base, relative)[0]
  const suggestion = owner === undefined ? undefined : closestKey(key, objectKeysOf(owner))
  return invalid(at, suggestion === undefined ? 'unknown key' : `unknown key (did you mean "${suggestion}"?)`)
}

/** Type mismatches at the union itself: the value is not of that branch's kind at all. */
function isMismatch(issues: readonly ZodIssue[]): boolean {
  return issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'))
}

/**
 * A value failing every branch of a union: when exactly one branch has the value's kind (an
 * object for `{primary, fallbacks}`), its issues are the useful ones; otherwise say what the
 * union accepts.
 */
function unionIssues(issue: Extract<ZodIssue, {code: 'invalid_union'}>, base: SchemaNode, prefix: PathSegment[]): ConfigIssue[] {
  const relative = toSegments(issue.path)
  const union = nodesAt(base, relative)[0]
  const options = union === undefined ? [] : (defOf(unwrap(union).node).options ?? [])
  const branches = issue.errors.map((errors, index) => ({errors, option: options[index]})).filter((b) => !isMismatch(b.errors))
  if (branches.length === 1 && branches[0].option !== undefined) {
    const path = [...prefix, ...relative]
    return branches[0].errors.flatMap((inner) => mapIssue(inner, branches[0].option as SchemaNode, path))
  }
  return [valueIssue({...issue, code: 'invalid_type', expected: 'union'} as unknown as ZodIssue, base, relative, [...prefix, ...relative])]
}
