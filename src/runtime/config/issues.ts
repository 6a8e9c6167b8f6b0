import {AppError} from '../errors/app-error.js'
import {tildify} from '../paths.js'

export type ConfigIssueCode = 'CONFIG_PARSE' | 'CONFIG_INCLUDE' | 'CONFIG_ENV_MISSING' | 'CONFIG_INVALID'

/**
 * One problem with the config (config.md §6.3). `file` is the file that holds the offending key
 * (the top config or an included file) once the load has located the issue, with the key's
 * 1-based `line` and `column` when its text was at hand (issue 9 item 8).
 */
export interface ConfigIssue {
  /** Rendered config path (`models.providers["my.host"].baseUrl`); '' for the root. */
  path: string
  /** Lower-case, says what was expected and what was found; stable (tests assert it). */
  message: string
  file?: string
  line?: number
  column?: number
  code: ConfigIssueCode
}

export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/

/** Dots for keys, `[n]` for indexes, `["key"]` for keys that are not identifiers. */
export function formatConfigPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/** `path: message [in ~/file:line:col]` (`[in ~/file]` when the line is unknown). */
export function formatIssue(issue: ConfigIssue, home: string): string {
  // Root-level issues (an unreadable or unparsable file) already name the file in the message.
  if (issue.path === '') return issue.message
  return `${issue.path}: ${issue.message}${issueLocation(issue, home)}`
}

/** ` [in ~/.openclaw/gateway.json5:3:5]`, ` [in ~/file]`, or '' for an issue not located. */
export function issueLocation(issue: ConfigIssue, home: string): string {
  if (issue.file === undefined) return ''
  const at = issue.line === undefined ? '' : `:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`
  return ` [in ${tildify(issue.file, home)}${at}]`
}

/** The §6.3 error: the most specific code when all issues share one, else CONFIG_INVALID. */
export function invalidConfigError(configPath: string, issues: readonly ConfigIssue[], home: string, exitCode?: number): AppError {
  const codes = new Set(issues.map((i) => i.code))
  const code = codes.size === 1 ? [...codes][0] : 'CONFIG_INVALID'
  const count = `${issues.length} issue${issues.length === 1 ? '' : 's'}`
  return new AppError(code, `Config ${tildify(configPath, home)} is invalid (${count}):`, {
    exitCode,
    hint: ['See every issue: openclaw config validate', 'Remove a key the schema does not know: openclaw config unset <path>'],
    details: {issues: issues.map((issue) => ({...issue, text: formatIssue(issue, home)}))},
  })
}
