import type {ResolvedPaths} from '../../paths.js'
import {isPlainObject} from '../deep-merge.js'
import {applyConfigEnv} from '../env-sources.js'
import {resolveIncludes} from '../includes.js'
import {locateIssues, type IssueSourceMap} from '../issue-locations.js'
import {formatIssue, type ConfigIssue} from '../issues.js'
import type {Config} from '../schema/index.js'
import {migrateLegacyKeys} from '../schema/legacy.js'
import {substituteAndValidate} from '../evaluate.js'

export interface EvaluatedTree {
  /** After includes and in-memory legacy migration, before substitution; null when includes failed badly. */
  authored: Record<string, unknown> | null
  /** Rendered path -> included file, for values an include brought in. */
  origins: Map<string, string>
  config: Config | null
  /** The issues a load reports. */
  issues: ConfigIssue[]
  /**
   * `issues` plus the schema issues of a tree whose includes failed (a load skips those as
   * noise). Edits compare these, so a broken include cannot hide a value the edit made invalid.
   */
  comparableIssues: ConfigIssue[]
  legacyKeys: string[]
  /** Where each path was written (text of the top file unknown): re-locate issues once it is written. */
  sourceMap: IssueSourceMap
}

export interface EvaluateOptions {
  paths: Pick<ResolvedPaths, 'configPath' | 'includeRoots' | 'home'>
  /** The environment after the load applied its sources; it is copied, never changed. */
  env: NodeJS.ProcessEnv
  /** Variables the load took from the config's `env` section; the candidate tree's section replaces them. */
  envFromConfig?: readonly string[]
}

/**
 * Evaluates a candidate top tree (an edit not yet written) exactly as a load would evaluate the
 * file: includes, legacy migration, the `env` section, `${VAR}` substitution, schema. Pure with
 * respect to the process: the env is copied.
 */
export function evaluateTopTree(topTree: Record<string, unknown>, options: EvaluateOptions): EvaluatedTree {
  const {paths} = options
  const included = resolveIncludes(topTree, {topFile: paths.configPath, includeRoots: paths.includeRoots, home: paths.home})
  // The candidate has no text yet: issues name their file, and a line only in included files.
  const sourceMap: IssueSourceMap = {topFile: paths.configPath, topText: null, sources: included.sources, texts: included.texts}
  const locate = (issues: ConfigIssue[]) => locateIssues(issues, sourceMap)
  const out: EvaluatedTree = {authored: null, origins: new Map(), config: null, issues: [], comparableIssues: [], legacyKeys: [], sourceMap}
  out.origins = included.origins
  out.issues.push(...included.issues)
  if (!isPlainObject(included.tree)) {
    out.issues.push({path: '', message: 'the config root must be an object (via $include)', code: 'CONFIG_INCLUDE'})
    out.comparableIssues = [...out.issues]
    return out
  }
  const migrated = migrateLegacyKeys(included.tree === topTree ? structuredClone(topTree) : included.tree)
  out.legacyKeys = migrated.legacyKeys
  out.authored = migrated.tree

  const env: NodeJS.ProcessEnv = {...options.env}
  applyConfigEnv(env, migrated.tree.env, {previous: options.envFromConfig})
  const evaluated = substituteAndValidate(migrated.tree, {env, origins: out.origins})
  out.issues.push(...locate(evaluated.substitutionIssues))
  const partial = out.issues.some((i) => i.code === 'CONFIG_INCLUDE' || i.code === 'CONFIG_PARSE')
  const schemaIssues = locate(evaluated.schemaIssues)
  out.comparableIssues = [...out.issues, ...schemaIssues]
  if (partial) return out
  out.issues.push(...schemaIssues)
  if (out.issues.length === 0) out.config = evaluated.config
  return out
}

/** The issues of `after` that `before` did not have (compared by code, path, message and file). */
export function newIssues(before: readonly ConfigIssue[], after: readonly ConfigIssue[]): ConfigIssue[] {
  const key = (i: ConfigIssue) => `${i.code}\0${i.path}\0${i.message}\0${i.file ?? ''}`
  const seen = new Set(before.map(key))
  return after.filter((issue) => !seen.has(key(issue)))
}

/** `Config is invalid (N issues); see: openclaw config validate` (config.md §6.5). */
export function invalidConfigWarning(issueCount: number): string {
  return `Config is invalid (${issueCount} issue${issueCount === 1 ? '' : 's'}); see: openclaw config validate`
}

/** Issues as the lines a human reads (`path: message [in ~/file]`). */
export function issueTexts(issues: readonly ConfigIssue[], home: string): string[] {
  return issues.map((issue) => formatIssue(issue, home))
}
