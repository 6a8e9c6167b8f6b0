import {createHash} from 'node:crypto'
import path from 'node:path'

import {tildify, type ResolvedPaths} from '../paths.js'
import {deepFreeze} from './deep-freeze.js'
import {isPlainObject} from './deep-merge.js'
import {applyConfigEnv, applyShellEnv} from './env-sources.js'
import {resolveIncludes, type IncludeResult} from './includes.js'
import {locateIssues, pathLocator, shortLocation} from './issue-locations.js'
import {tryParseConfigPath} from './edit/path-syntax.js'
import type {ConfigIssue} from './issues.js'
import {describeReadFailure, MAX_CONFIG_BYTES, readJson5File} from './json5-file.js'
import type {Config} from './schema/index.js'
import {migrateLegacyKeys} from './schema/legacy.js'
import {substituteAndValidate} from './evaluate.js'

export {substituteEnvInTree, type SubstituteEnvOptions} from './substitute-env.js'
export {applyConfigEnv} from './env-sources.js'

export interface LoadConfigOptions {
  paths: ResolvedPaths
  /** The environment to read `${VAR}` from; the config's `env` section is applied into it (never overriding set variables). */
  env: NodeJS.ProcessEnv
  /** Variables an earlier load set from the config (`envFromConfig`); the gateway's reload passes them so they update or disappear. */
  previousEnvFromConfig?: readonly string[]
  /** Run the login-shell step (config.md §3.1 step 5) when the config or env enables it. Default true; reloads pass false. */
  shellEnv?: boolean
}

export interface LoadedConfig {
  configPath: string
  exists: boolean
  /** The top file's text as read (BOM stripped); also set when it does not parse. */
  text: string | null
  /** SHA-256 (hex) of the top file's bytes. */
  hash: string | null
  /** The top file parsed, `$include` sites intact: what owned writes edit. */
  topTree: Record<string, unknown> | null
  /** After includes and in-memory legacy migration, before `${VAR}` substitution and defaults. `{}` when the file is missing. */
  authored: Record<string, unknown> | null
  /** Rendered config path -> absolute included file, for every key/subtree an include brought in. */
  origins: Map<string, string>
  /** The top file and every included file (absolute), for the reload watcher. */
  files: string[]
  /** The effective config: deep-frozen schema output, or null when there is any issue. */
  config: Readonly<Config> | null
  /** Every issue (parse, include, env-missing, schema). */
  issues: ConfigIssue[]
  /** Legacy-keys warning, ignored env entries, shell-env failures. */
  warnings: string[]
  legacyKeys: string[]
  /** Variables this load set from `env.vars` / `env` sugar keys. */
  envFromConfig: string[]
}

/**
 * The full, synchronous config load (config.md §2–§6): read and parse the top file, resolve
 * `$include`s, migrate legacy keys in memory, apply the `env` section (and the login shell when
 * enabled), substitute `${VAR}`s, validate and deep-freeze. Never throws for config problems:
 * they are `issues`. A missing file is not an issue: the schema defaults apply.
 */
export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  let included: IncludeResult | undefined
  const loaded = loadUnlocated(opts, (result) => (included = result))
  if (loaded.issues.length > 0) {
    loaded.issues = locateIssues(loaded.issues, {
      topFile: loaded.configPath, topText: loaded.text, sources: included?.sources ?? new Map(), texts: included?.texts ?? new Map(),
    })
  }
  return loaded
}

function loadUnlocated(opts: LoadConfigOptions, onIncludes: (result: IncludeResult) => void): LoadedConfig {
  const {paths} = opts
  const configPath = paths.configPath
  const loaded: LoadedConfig = {
    configPath, exists: true, text: null, hash: null, topTree: null, authored: null, origins: new Map(),
    files: [configPath], config: null, issues: [], warnings: [], legacyKeys: [], envFromConfig: [],
  }
  const read = readJson5File(configPath, MAX_CONFIG_BYTES, {emptyAs: {}})
  if (read.bytes !== undefined) {
    loaded.text = read.text ?? null
    loaded.hash = createHash('sha256').update(read.bytes).digest('hex')
  }
  const shown = tildify(configPath, paths.home)
  if (!read.ok) {
    if (read.failure.kind !== 'missing') {
      const issue: ConfigIssue = {path: '', message: describeReadFailure(read.failure, shown, 'config files'), code: 'CONFIG_PARSE', file: configPath}
      if (read.failure.kind === 'parse') Object.assign(issue, {line: read.failure.line, column: read.failure.column})
      loaded.issues.push(issue)
      return loaded
    }
    loaded.exists = false
    loaded.authored = {}
    return finish(loaded, {}, opts)
  }
  if (!isPlainObject(read.value)) {
    loaded.issues.push({path: '', message: `${shown}: the config root must be an object, found ${describeType(read.value)}`, code: 'CONFIG_PARSE', file: configPath})
    return loaded
  }
  loaded.topTree = read.value
  const included = resolveIncludes(read.value, {topFile: configPath, includeRoots: paths.includeRoots, home: paths.home, topText: read.text})
  onIncludes(included)
  loaded.origins = included.origins
  loaded.files.push(...included.files)
  loaded.issues.push(...included.issues)
  if (!isPlainObject(included.tree)) {
    loaded.issues.push({path: '', message: `the config root must be an object, found ${describeType(included.tree)} (via $include)`, code: 'CONFIG_INCLUDE'})
    return loaded
  }
  // Without includes the tree is still the top tree; copy it so migration cannot touch what owned writes edit.
  const tree = included.tree === read.value ? structuredClone(read.value) : included.tree
  const migrated = migrateLegacyKeys(tree)
  loaded.legacyKeys = migrated.legacyKeys
  if (migrated.legacyKeys.length > 0) {
    const locate = pathLocator({topFile: configPath, topText: read.text, sources: included.sources, texts: included.texts})
    const where = (key: string) => {
      const segments = tryParseConfigPath(key)
      return segments === null ? key : `${key} at ${shortLocation(locate(segments), path.dirname(configPath))}`
    }
    loaded.warnings.push(`Config uses legacy keys (${migrated.legacyKeys.map(where).join(', ')}); rename them by hand (see: openclaw config validate)`)
  }
  loaded.authored = migrated.tree
  return finish(loaded, migrated.tree, opts)
}

/** Env section → substitution → schema → freeze. */
function finish(loaded: LoadedConfig, authored: Record<string, unknown>, opts: LoadConfigOptions): LoadedConfig {
  const fromConfig = applyConfigEnv(opts.env, authored.env, {previous: opts.previousEnvFromConfig})
  loaded.envFromConfig = fromConfig.applied
  loaded.warnings.push(...fromConfig.warnings)
  if (opts.shellEnv !== false) loaded.warnings.push(...applyShellEnv(opts.env, authored.env).warnings)

  const evaluated = substituteAndValidate(authored, {env: opts.env, origins: loaded.origins})
  loaded.issues.push(...evaluated.substitutionIssues)
  // A partial tree (failed include) would only add misleading schema issues.
  if (loaded.issues.some((i) => i.code === 'CONFIG_INCLUDE' || i.code === 'CONFIG_PARSE')) return loaded
  loaded.issues.push(...evaluated.schemaIssues)
  if (loaded.issues.length === 0 && evaluated.config !== null) loaded.config = deepFreeze(evaluated.config)
  return loaded
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
