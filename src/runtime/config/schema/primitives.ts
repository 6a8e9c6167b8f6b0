import {z} from 'zod'

/**
 * Building blocks of the config schema (config.md §7 "Types"): durations, paths, secrets, ids,
 * URLs and bounded integers. Each carries metadata in zod's global registry, so validation
 * messages, `describeConfigPath`, the JSON Schema and the reference doc all read one source.
 */

/** Our keys in a schema's metadata (zod's `.meta()`), next to zod's own `description`. */
export interface ConfigMeta {
  description?: string
  /** Redacted in output (config.md §9). */
  secret?: boolean
  /** Short type name for the reference doc (`dur`, `path`, `secret`, `id`). */
  typeLabel?: string
  /** What a value must look like, for messages: `expected <this>, received …`. */
  expected?: string
  /** The reference doc lists this map as one row instead of descending into it. */
  docCollapse?: boolean
}

/** Our metadata keys that are not JSON Schema keywords (stripped from `configJsonSchema`). */
export const PRIVATE_META_KEYS = ['secret', 'typeLabel', 'expected', 'docCollapse'] as const

/** Metadata of one schema node (zod merges what a clone inherits from its parent). */
export function metaOf(schema: z.core.$ZodType): ConfigMeta {
  return (z.globalRegistry.get(schema) ?? {}) as ConfigMeta
}

/**
 * Adds metadata to a freshly built node in place. `.meta()` and `.describe()` clone the node,
 * and with ~400 keys those clones were a third of the schema's construction time, which every
 * `openclaw config get` pays. Only ever call this on a node built for that one key.
 */
export function annotate<T extends z.core.$ZodType>(schema: T, meta: ConfigMeta): T {
  z.globalRegistry.add(schema, {...z.globalRegistry.get(schema), ...meta})
  return schema
}

/** The key's description (what `.describe()` does, without the clone). */
export function doc<T extends z.core.$ZodType>(schema: T, description: string): T {
  return annotate(schema, {description})
}

/*
 * Construction cost matters: `config get` builds the whole schema (~1000 nodes) on every run.
 * Each `.min()`, `.regex()` or `.check()` call clones its node, and `z.strictObject` builds a
 * fresh `never` catchall per object, so the helpers below construct each node once, with its
 * checks in the definition (exactly what the clone would have built).
 */
const NEVER = z.never()
/*
 * Shared nodes and checks, for slots that never get metadata of their own (record keys, array
 * elements, checks): zod's own clones share checks the same way.
 */
const ANY_STRING = z.string()
const MIN_LENGTH_1 = z.minLength(1)
const AT_LEAST_0 = z.gte(0)
const AT_LEAST_1 = z.gte(1)

/** Record keys without a pattern. */
export function anyKey(): z.ZodString {
  return ANY_STRING
}

/** A strict object (unknown keys are issues), sharing one `never` catchall. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  return new z.ZodObject({type: 'object', shape, catchall: NEVER}) as unknown as z.ZodObject<T, z.core.$strict>
}

/** A string with its checks built in. */
export function checkedString(...checks: z.core.$ZodCheck<string>[]): z.ZodString {
  return new z.ZodString({type: 'string', checks})
}

/** A string matching `re`; `expected` words the message when it does not. */
export function pattern(re: RegExp, expected: string, typeLabel?: string): z.ZodString {
  return annotate(checkedString(z.regex(re)), typeLabel === undefined ? {expected} : {expected, typeLabel})
}

/** Agent, account and profile ids: `^[a-z0-9][a-z0-9_-]{0,63}$`. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/
const ID_EXPECTED = 'an id of lower-case letters, digits, _ and - (up to 64 chars, starting with a letter or digit)'

/** `<n>ms|s|m|h|d`, e.g. `30m`. */
export const DURATION_PATTERN = /^\d+(ms|s|m|h|d)$/

/** Environment variable names. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A duration like `30m`. */
export function dur(): z.ZodString {
  return pattern(DURATION_PATTERN, 'a duration like 30m (<n>ms, s, m, h or d)', 'dur')
}

/** A file or directory path: `~` expanded, relative to the state dir (resolved by `paths.ts`). */
export function pathString(): z.ZodString {
  return annotate(checkedString(MIN_LENGTH_1), {typeLabel: 'path'})
}

/** A credential: redacted in output; `${VAR}` references recommended. */
export function secret(): z.ZodString {
  return annotate(checkedString(MIN_LENGTH_1), {typeLabel: 'secret', secret: true})
}

/** An agent / account id. */
export function id(): z.ZodString {
  return pattern(ID_PATTERN, ID_EXPECTED, 'id')
}

/** A non-empty string. */
export function text(): z.ZodString {
  return checkedString(MIN_LENGTH_1)
}

/** A string array (no default). */
export function stringList(): z.ZodArray<z.ZodString> {
  return z.array(ANY_STRING)
}

/** An integer in `[min, max]` (`max` optional). */
export function int(min: number, max?: number): z.ZodNumber {
  const lower = min === 0 ? AT_LEAST_0 : min === 1 ? AT_LEAST_1 : z.gte(min)
  const checks = max === undefined ? [lower] : [lower, z.lte(max)]
  return new z.ZodNumberFormat({type: 'number', check: 'number_format', abort: false, format: 'safeint', checks}) as z.ZodNumber
}

/** A number with its checks built in (`z.gte(0)`, `z.gt(0)`, `z.lte(1)`). */
export function checkedNumber(...checks: z.core.$ZodCheck<number>[]): z.ZodNumber {
  return new z.ZodNumber({type: 'number', checks})
}

/** An `http://` or `https://` URL. */
export function httpUrl(opts: {httpsOnly?: boolean; noTrailingSlash?: boolean} = {}): z.ZodURL {
  const protocol = opts.httpsOnly ? /^https$/ : /^https?$/
  const scheme = opts.httpsOnly ? 'an https:// URL' : 'an http:// or https:// URL'
  const expected = opts.noTrailingSlash ? `${scheme} without a trailing /` : scheme
  return annotate(opts.noTrailingSlash ? z.url({protocol}).regex(/[^/]$/) : z.url({protocol}), {typeLabel: 'URL', expected})
}

/** A `ws://` or `wss://` URL. */
export function wsUrl(): z.ZodURL {
  return annotate(z.url({protocol: /^wss?$/}), {typeLabel: 'URL', expected: 'a ws:// or wss:// URL'})
}

/** `HH:MM`, 24-hour clock. */
export function clockTime(): z.ZodString {
  return pattern(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time like 08:30 (HH:MM, 24-hour)', 'HH:MM')
}

/** A sender id list entry: a number or a string (`123`, `"tg:123"`, `"*"`). */
export function senderId() {
  return annotate(z.union([ANY_STRING, z.number()]), {typeLabel: 'string | number', expected: 'a sender id (string or number)'})
}

/** A map whose values are unchecked (`params` bags). */
export function params(): z.ZodRecord<z.ZodString, z.ZodUnknown> {
  return z.record(ANY_STRING, z.unknown())
}
