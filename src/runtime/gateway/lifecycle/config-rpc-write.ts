/**
 * The write half of `config.set` / `config.apply` / `config.patch` (protocol.md §6.3): parse the
 * JSON5 document, check `baseHash` under the config lock, restore redacted placeholders (set,
 * apply) or merge-patch the top file (patch, with the one shared merge function), validate
 * exactly like a load, and write through the owned-write pipeline (config.md §10.3). Every
 * refusal is a MethodError with the fixed texts clients match on.
 */
import {diffConfigPaths} from '../../config/edit/diff-paths.js'
import {evaluateTopTree, type EvaluatedTree} from '../../config/edit/evaluate-tree.js'
import {originOf, refuseDroppedIncludes} from '../../config/edit/include-sites.js'
import {applyMergePatch, REDACTED_PLACEHOLDER} from '../../config/edit/merge-patch.js'
import {writeOwnedConfig, type CurrentConfigFile} from '../../config/edit/owned-write.js'
import {redactConfigTree} from '../../config/edit/redact.js'
import {getAtPath, kindOf} from '../../config/edit/tree-ops.js'
import {isPlainObject, setOwn} from '../../config/deep-merge.js'
import {resolveIncludes} from '../../config/includes.js'
import {formatConfigPath, type PathSegment} from '../../config/issues.js'
import {parseJson5} from '../../config/json5-file.js'
import {isAppError} from '../../errors/app-error.js'
import {MethodError} from '../server/method-error.js'
import type {ConfigRpcHost} from './config-rpc.js'
import {configSourceHash} from './config-source.js'

export type ConfigWriteMethod = 'config.set' | 'config.apply' | 'config.patch'

export interface ConfigDocumentEdit {
  method: ConfigWriteMethod
  /** The JSON5 document: the whole config (set, apply) or a merge patch (patch). */
  raw: string
  baseHash?: string
  /** patch: dotted paths whose arrays are replaced wholesale. */
  replacePaths?: readonly string[]
}

export interface ConfigWriteOutcome {
  path: string
  /** The source hash after the write (unchanged on a no-op). */
  hash: string | null
  /** Nothing was written: the result equals the current file. */
  noop: boolean
  /** Dotted leaf paths of the authored config that changed. */
  changedPaths: string[]
  /** The resolved config, redacted. */
  config: unknown
}

export const CONFIG_TEXTS = {
  baseHashRequired: 'config base hash required; re-run config.get and retry',
  baseHashMismatch: 'config changed since last load; re-run config.get and retry',
  patchNotObject: 'config.patch raw must be a JSON5 object',
  unparsable: 'config file is not parsable; use config.set or config.apply with a full document',
  placeholder: (path: string) => `config contains a redacted placeholder at ${path} with no current value`,
  removal: (path: string) => `config.patch would remove entries from ${path}; list it in replacePaths`,
} as const

/** Validates and writes one document; call inside `host.exclusive`. Throws MethodError. */
export async function writeConfigDocument(host: ConfigRpcHost, edit: ConfigDocumentEdit): Promise<ConfigWriteOutcome> {
  const {paths} = host
  const document = parseDocument(edit)
  const evaluate = (tree: Record<string, unknown>): EvaluatedTree => evaluateTopTree(tree, {paths, env: host.env, envFromConfig: host.envFromConfig()})
  let next: EvaluatedTree | undefined
  let changedPaths: string[] = []
  const ctx = {configPath: paths.configPath, home: paths.home, env: host.env, version: host.version, replaceUnparsable: edit.method !== 'config.patch'}
  const write = await writeOwnedConfig(ctx, (current) => {
    checkBaseHash(current, edit.baseHash, paths)
    const old = evaluate(current.topTree)
    const tree = edit.method === 'config.patch' ? patchTree(current, old, document as Record<string, unknown>, edit, host) : restoreRedacted(document, current.topTree)
    next = evaluate(tree)
    if (next.issues.length > 0) {
      const issues = next.issues.map((issue) => ({path: issue.path, message: issue.message}))
      const text = issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('; ')
      throw new MethodError('INVALID_REQUEST', `invalid config: ${text}`, {details: {code: 'INVALID_CONFIG', issues}})
    }
    changedPaths = diffConfigPaths(old.authored ?? current.topTree, next.authored ?? tree)
    return {tree, info: null}
  }).catch((error: unknown) => {
    throw toMethodError(error, edit.method)
  })
  const evaluated = next as EvaluatedTree | undefined
  const config = evaluated?.config === undefined || evaluated.config === null ? null : redactConfigTree(evaluated.config, {authored: evaluated.authored})
  const files = [paths.configPath, ...resolveIncludes(write.after, {topFile: paths.configPath, includeRoots: paths.includeRoots, home: paths.home}).files]
  return {path: paths.configPath, hash: configSourceHash(files), noop: !write.changed, changedPaths: write.changed ? changedPaths : [], config}
}

function parseDocument(edit: ConfigDocumentEdit): unknown {
  const parsed = parseJson5(edit.raw)
  if (!parsed.ok) {
    throw new MethodError('INVALID_REQUEST', `invalid config: JSON5 parse error at ${parsed.line}:${parsed.column}: ${parsed.message}`, {details: {code: 'INVALID_CONFIG'}})
  }
  if (isPlainObject(parsed.value)) return parsed.value
  if (edit.method === 'config.patch') throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.patchNotObject, {details: {code: 'INVALID_CONFIG'}})
  const message = `(root): the config root must be an object, found ${kindOf(parsed.value)}`
  throw new MethodError('INVALID_REQUEST', `invalid config: ${message}`, {details: {code: 'INVALID_CONFIG', issues: [{path: '', message}]}})
}

/** protocol.md §6.3: required when the file exists; compared with the current source hash under the lock. */
function checkBaseHash(current: CurrentConfigFile, baseHash: string | undefined, paths: ConfigRpcHost['paths']): void {
  if (!current.exists) return
  if (baseHash === undefined || baseHash === '') {
    throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.baseHashRequired, {details: {code: 'CONFIG_BASE_HASH_REQUIRED'}})
  }
  const files = [paths.configPath, ...resolveIncludes(current.topTree, {topFile: paths.configPath, includeRoots: paths.includeRoots, home: paths.home}).files]
  if (configSourceHash(files) !== baseHash) {
    throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.baseHashMismatch, {details: {code: 'CONFIG_BASE_HASH_MISMATCH'}})
  }
}

function patchTree(current: CurrentConfigFile, old: EvaluatedTree, patch: Record<string, unknown>, edit: ConfigDocumentEdit, host: ConfigRpcHost): Record<string, unknown> {
  const replacePaths = [...(edit.replacePaths ?? [])]
  const merged = applyMergePatch(current.topTree, patch, {replacePaths})
  const [removal] = merged.removals
  if (removal !== undefined) throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.removal(removal), {details: {code: 'CONFIG_PATCH_REMOVES_ENTRIES', path: removal}})
  const [placeholder] = merged.unresolvedPlaceholders
  if (placeholder !== undefined) throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.placeholder(placeholder), {details: {code: 'CONFIG_REDACTED_PLACEHOLDER', path: placeholder}})
  const tree = merged.value as Record<string, unknown>
  for (const nulled of merged.nulledPaths) {
    const fromInclude = originOf(old.origins, nulled)
    if (fromInclude !== undefined && old.authored !== null && getAtPath(old.authored, nulled).found && !getAtPath(current.topTree, nulled).found) {
      const rendered = formatConfigPath(nulled)
      throw new MethodError('INVALID_REQUEST', `config.patch cannot delete ${rendered}: its value comes from an $include (${fromInclude}); edit that file instead`, {
        details: {code: 'CONFIG_INCLUDED_KEY', path: rendered, file: fromInclude},
      })
    }
  }
  refuseDroppedIncludes(current.topTree, tree, old.origins, host.paths, 'or list it in replacePaths', (site) => replacePaths.includes(site))
  return tree
}

/** set/apply: every `__OPENCLAW_REDACTED__` takes the current file's value at its path. */
export function restoreRedacted(document: unknown, current: unknown): Record<string, unknown> {
  const walk = (node: unknown, at: PathSegment[]): unknown => {
    if (node === REDACTED_PLACEHOLDER) {
      const existing = getAtPath(current, at)
      if (!existing.found) throw new MethodError('INVALID_REQUEST', CONFIG_TEXTS.placeholder(formatConfigPath(at)), {details: {code: 'CONFIG_REDACTED_PLACEHOLDER', path: formatConfigPath(at)}})
      return existing.value
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...at, index]))
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(node)) setOwn(out, key, walk(value, [...at, key]))
      return out
    }
    return node
  }
  return walk(document, []) as Record<string, unknown>
}

/** The one method-specific text (config.patch on an unparsable file); other AppErrors are mapped by dispatch. */
function toMethodError(error: unknown, method: ConfigWriteMethod): unknown {
  if (isAppError(error) && error.code === 'CONFIG_PARSE' && method === 'config.patch') return new MethodError('INVALID_REQUEST', CONFIG_TEXTS.unparsable, {details: {code: 'CONFIG_UNPARSABLE'}})
  return error
}
