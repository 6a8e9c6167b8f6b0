import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {PATH_ENV_VARS, stateFiles} from '../paths.js'
import {runLoginShellEnv} from '../process.js'
import {isPlainObject} from './deep-merge.js'
import {formatMegabytes, stripBom} from './json5-file.js'

/**
 * The environment sources of config.md §3.1, highest first: the process env, `./.env`,
 * `<state>/.env`, the config's `env` section, the login shell. A lower source never overrides a
 * variable that is already set (set-but-empty counts as set).
 */

/** `<state>/.env` (and `./.env`) larger than this is ignored with a warning. */
export const MAX_DOTENV_BYTES = 1024 * 1024
/** Default for `env.shellEnv.timeoutMs`. */
export const DEFAULT_SHELL_ENV_TIMEOUT_MS = 15_000

const DOTENV_HEAD = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*/
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const LEGACY_PREFIX = /^(CLAWDBOT|MOLTBOT)_/
const PATH_VARS: ReadonlySet<string> = new Set(PATH_ENV_VARS)

/** What applying one source did. */
export interface EnvSourceResult {
  /** Names this source set (they were unset before). */
  applied: string[]
  /** One-line warnings for stderr (ignored entries, unreadable files). */
  warnings: string[]
}

export interface DotenvParseResult {
  vars: Map<string, string>
  /** 1-based line numbers of lines that are not `KEY=VALUE`, a comment or blank. */
  badLines: number[]
}

/**
 * A small dotenv parser: `KEY=VALUE`, an optional `export ` prefix, blank lines and `#` comments;
 * unquoted values are trimmed and lose a ` #` comment; single quotes (and backticks) are literal;
 * double quotes understand `\n`, `\r`, `\t`, `\\` and `\"`. Quoted values may span lines. Values are
 * literal otherwise (no `${}` expansion). A later duplicate key wins.
 */
export function parseDotenv(text: string): DotenvParseResult {
  const vars = new Map<string, string>()
  const badLines: number[] = []
  const src = stripBom(text).replace(/\r\n?/g, '\n')
  let i = 0
  let line = 1
  const restOfLine = () => {
    const end = src.indexOf('\n', i)
    const rest = src.slice(i, end === -1 ? src.length : end)
    i = end === -1 ? src.length : end
    return rest
  }
  while (i < src.length) {
    const startLine = line
    const eol = src.indexOf('\n', i)
    const head = DOTENV_HEAD.exec(src.slice(i, eol === -1 ? src.length : eol))
    if (head === null) {
      const rest = restOfLine().trim()
      if (rest !== '' && !rest.startsWith('#')) badLines.push(startLine)
    } else {
      i += head[0].length
      const quote = src[i]
      if (quote === '"' || quote === "'" || quote === '`') {
        const value = readQuoted(src, i, quote)
        if (value === undefined) {
          badLines.push(startLine)
          restOfLine()
        } else {
          line += value.newlines
          i = value.end
          vars.set(head[1], value.text)
          const trailing = restOfLine().trim()
          if (trailing !== '' && !trailing.startsWith('#')) badLines.push(line)
        }
      } else {
        vars.set(head[1], restOfLine().replace(/(^|[ \t])#.*$/, '').trim())
      }
    }
    if (src[i] === '\n') {
      i++
      line++
    }
  }
  return {vars, badLines}
}

/** Reads a quoted value starting at `src[start]` (the quote); undefined when it never closes. */
function readQuoted(src: string, start: number, quote: string): {text: string; end: number; newlines: number} | undefined {
  let text = ''
  let newlines = 0
  for (let i = start + 1; i < src.length; i++) {
    const ch = src[i]
    if (ch === quote) return {text, end: i + 1, newlines}
    if (ch === '\n') newlines++
    if (ch === '\\' && quote === '"' && i + 1 < src.length) {
      const next = src[++i]
      const escaped: Record<string, string> = {n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"'}
      text += escaped[next] ?? '\\' + next
      if (next === '\n') newlines++
      continue
    }
    text += ch
  }
  return undefined
}

export type DotenvPhase = {phase: 'cwd'; cwd: string} | {phase: 'state'; stateDir: string; cwd?: string}

/**
 * Applies one dotenv source into `env` (config.md §3.1 steps 2–3). Phase `cwd` reads `./.env`
 * (which may set path variables, since paths are resolved after it) and also warns about
 * CLAWDBOT_* / MOLTBOT_* variables in the process env. Phase `state` reads `<state>/.env`
 * (skipped when it is the same file as `./.env`); path variables there are ignored with a warning.
 * A missing file is silent; an unreadable, non-regular or over-1-MiB file is a warning.
 */
export function loadDotenvSources(env: NodeJS.ProcessEnv, opts: DotenvPhase): EnvSourceResult {
  const file = opts.phase === 'cwd' ? path.resolve(opts.cwd, '.env') : stateFiles(opts.stateDir).dotenv
  if (opts.phase === 'state' && opts.cwd !== undefined && path.resolve(opts.cwd, '.env') === file) return {applied: [], warnings: []}
  const warnings: string[] = []
  const legacy = opts.phase === 'cwd' ? Object.keys(env).filter((name) => LEGACY_PREFIX.test(name)) : []
  const text = readDotenvFile(file, warnings)
  const applied: string[] = []
  if (text !== undefined) {
    const {vars, badLines} = parseDotenv(text)
    for (const lineNo of badLines) warnings.push(`Ignored ${file}:${lineNo}: not a KEY=VALUE line`)
    const entries = [...vars].filter(([name]) => {
      if (!LEGACY_PREFIX.test(name)) return true
      if (!legacy.includes(name)) legacy.push(name)
      return false
    })
    applied.push(...applyEntries(env, entries, opts.phase === 'state' ? file : null, warnings))
  }
  if (legacy.length > 0) warnings.unshift(legacyWarning(legacy))
  return {applied, warnings}
}

/** What a re-read of `<state>/.env` changed, by variable name (never values). */
export interface DotenvReload extends EnvSourceResult {
  file: string
  added: string[]
  changed: string[]
  removed: string[]
}

/**
 * Re-reads `<state>/.env` into a running process (the gateway's SIGHUP): the variables an earlier
 * read set (`previous`) are dropped first, so a changed value updates and a removed line
 * disappears, while variables from the process env or `./.env` are still never overridden.
 */
export function reloadStateDotenv(env: NodeJS.ProcessEnv, opts: {stateDir: string; cwd?: string; previous: readonly string[]}): DotenvReload {
  const before = new Map(opts.previous.map((name) => [name, env[name]]))
  for (const name of opts.previous) delete env[name]
  const result = loadDotenvSources(env, {phase: 'state', stateDir: opts.stateDir, cwd: opts.cwd})
  const now = new Set(result.applied)
  return {
    ...result,
    file: stateFiles(opts.stateDir).dotenv,
    added: result.applied.filter((name) => !before.has(name)),
    changed: result.applied.filter((name) => before.has(name) && before.get(name) !== env[name]),
    removed: opts.previous.filter((name) => !now.has(name)),
  }
}

/**
 * Applies the config's `env` section (config.md §3.1 step 4): `env.vars`, then string-valued
 * keys directly under `env`. `previous` names the variables an earlier load set from the config
 * (the gateway's reload): they are removed first, so changed values update and removed entries
 * disappear, while variables from higher sources are never touched.
 */
export function applyConfigEnv(env: NodeJS.ProcessEnv, envSection: unknown, options: {previous?: readonly string[]} = {}): EnvSourceResult {
  for (const name of options.previous ?? []) delete env[name]
  const warnings: string[] = []
  if (!isPlainObject(envSection)) return {applied: [], warnings}
  const entries: Array<[string, string]> = []
  const vars = envSection.vars
  if (isPlainObject(vars)) for (const [name, value] of Object.entries(vars)) if (typeof value === 'string') entries.push([name, value])
  for (const [name, value] of Object.entries(envSection)) if (typeof value === 'string') entries.push([name, value])
  const legacy = entries.map(([name]) => name).filter((name) => LEGACY_PREFIX.test(name))
  if (legacy.length > 0) warnings.push(legacyWarning([...new Set(legacy)]))
  const kept = entries.filter(([name]) => NAME.test(name) && !LEGACY_PREFIX.test(name))
  return {applied: applyEntries(env, kept, 'the config (env)', warnings), warnings}
}

/**
 * Step 5 of config.md §3.1: when `env.shellEnv.enabled` or OPENCLAW_LOAD_SHELL_ENV=1, runs the
 * login shell (`$SHELL`, else /bin/sh) and takes the variables still unset. A failure or timeout
 * (`env.shellEnv.timeoutMs`, default 15000) is a warning, never fatal.
 */
export function applyShellEnv(env: NodeJS.ProcessEnv, envSection: unknown): EnvSourceResult {
  const shellEnv = isPlainObject(envSection) && isPlainObject(envSection.shellEnv) ? envSection.shellEnv : {}
  if (shellEnv.enabled !== true && env.OPENCLAW_LOAD_SHELL_ENV?.trim() !== '1') return {applied: [], warnings: []}
  const timeout = shellEnv.timeoutMs
  const timeoutMs = typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0 ? timeout : DEFAULT_SHELL_ENV_TIMEOUT_MS
  const shell = env.SHELL?.trim() || '/bin/sh'
  const result = runLoginShellEnv(shell, timeoutMs, env)
  if (!result.ok) return {applied: [], warnings: [`Could not load the login shell environment (${result.error}); continuing without it`]}
  const warnings: string[] = []
  // Only what the shell adds matters; path variables it merely inherited from us are not news.
  const entries = Object.entries(result.vars).filter(([name]) => NAME.test(name) && env[name] === undefined && !LEGACY_PREFIX.test(name) && name !== '_' && name !== 'SHLVL')
  return {applied: applyEntries(env, entries, 'the login shell environment', warnings), warnings}
}

/** Sets each unset variable; when `restrictedSource` is given, path variables are refused with a warning. */
function applyEntries(env: NodeJS.ProcessEnv, entries: Iterable<[string, string]>, restrictedSource: string | null, warnings: string[]): string[] {
  const applied: string[] = []
  for (const [name, value] of entries) {
    if (restrictedSource !== null && PATH_VARS.has(name)) {
      warnings.push(`Ignored ${name} from ${restrictedSource}: path variables can be set only in the environment or ./.env`)
      continue
    }
    if (env[name] !== undefined) continue
    env[name] = value
    applied.push(name)
  }
  return applied
}

function legacyWarning(names: readonly string[]): string {
  const list = names.map((name) => `${name} (use ${name.replace(LEGACY_PREFIX, 'OPENCLAW_')})`).join(', ')
  return `Ignored legacy environment variable${names.length === 1 ? '' : 's'} ${list}`
}

/** The file's text, or undefined (silently when missing, with a warning otherwise). Never opens a FIFO. */
function readDotenvFile(file: string, warnings: string[]): string | undefined {
  try {
    const stats = statSync(file, {throwIfNoEntry: false})
    if (stats === undefined) return undefined
    if (!stats.isFile()) {
      warnings.push(`Ignored ${file}: not a regular file`)
      return undefined
    }
    if (stats.size > MAX_DOTENV_BYTES) {
      warnings.push(`Ignored ${file}: it is ${formatMegabytes(stats.size, MAX_DOTENV_BYTES)}; .env files are limited to 1 MB`)
      return undefined
    }
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    warnings.push(`Ignored ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error))}`)
    return undefined
  }
}
