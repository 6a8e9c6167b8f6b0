import {setOwn} from './deep-merge.js'
import {formatConfigPath, type ConfigIssue, type PathSegment} from './issues.js'

/** `$${NAME}` (escape) or `${NAME}` (reference); NAME is upper-case only (config.md §4). */
const REFERENCE = /\$?\$\{([A-Z_][A-Z0-9_]*)\}/g

export interface MissingReference {
  name: string
  /** True when the variable is set to the empty string, false when it is not set at all. */
  empty: boolean
}

/**
 * Replaces every `${NAME}` in one string with `env.NAME`; `$${NAME}` yields `${NAME}`. Unset or
 * empty variables are left as written and reported, once per name.
 */
export function substituteEnvInString(value: string, env: Readonly<Record<string, string | undefined>>): {value: string; missing: MissingReference[]} {
  if (!value.includes('${')) return {value, missing: []}
  const missing: MissingReference[] = []
  const out = value.replace(REFERENCE, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1)
    const resolved = env[name]
    if (resolved === undefined || resolved === '') {
      if (!missing.some((m) => m.name === name)) missing.push({name, empty: resolved === ''})
      return match
    }
    return resolved
  })
  return {value: out, missing}
}

export interface SubstituteEnvOptions {
  env: Readonly<Record<string, string | undefined>>
  /** Rendered config path -> file, for values that came from an included file (`LoadedConfig.origins`). */
  origins?: ReadonlyMap<string, string>
}

/**
 * `${VAR}` substitution over an authored tree (config.md §4): every string value except those
 * under the root `env` section and `$include` values; keys are never substituted. Returns a new
 * tree (the input is not mutated) and one CONFIG_ENV_MISSING issue per missing reference, with
 * the file the string came from when that is an included file.
 */
export function substituteEnvInTree(tree: Record<string, unknown>, options: SubstituteEnvOptions): {tree: Record<string, unknown>; issues: ConfigIssue[]} {
  const issues: ConfigIssue[] = []
  const visit = (value: unknown, segments: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      const result = substituteEnvInString(value, options.env)
      if (result.missing.length > 0) {
        const path = formatConfigPath(segments)
        const file = originOf(options.origins, segments)
        for (const {name, empty} of result.missing) {
          const issue: ConfigIssue = {path, message: `environment variable ${name} is ${empty ? 'empty' : 'not set'} (referenced as \${${name}})`, code: 'CONFIG_ENV_MISSING'}
          if (file !== undefined) issue.file = file
          issues.push(issue)
        }
      }
      return result.value
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...segments, index]))
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, child] of Object.entries(value)) {
        const skip = key === '$include' || (segments.length === 0 && key === 'env')
        setOwn(out, key, skip ? child : visit(child, [...segments, key]))
      }
      return out
    }
    return value
  }
  return {tree: visit(tree, []) as Record<string, unknown>, issues}
}

/** The file a value came from: the entry for its path, else for its nearest ancestor. */
function originOf(origins: ReadonlyMap<string, string> | undefined, segments: readonly PathSegment[]): string | undefined {
  if (origins === undefined || origins.size === 0) return undefined
  for (let n = segments.length; n > 0; n--) {
    const file = origins.get(formatConfigPath(segments.slice(0, n)))
    if (file !== undefined) return file
  }
  return undefined
}
