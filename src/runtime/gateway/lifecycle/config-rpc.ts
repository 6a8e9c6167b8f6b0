/**
 * What the `config.*` RPC methods (protocol.md §6.3) need from the running gateway, and the
 * `config.get` snapshot: the file on disk read fresh (so its `hash` is what a write is checked
 * against), with every secret redacted in `raw`, `parsed` and `config`.
 */
import {redactConfigTree} from '../../config/edit/redact.js'
import {REDACTED_PLACEHOLDER} from '../../config/edit/merge-patch.js'
import {treesEqual} from '../../config/edit/tree-ops.js'
import {parseJson5} from '../../config/json5-file.js'
import type {ResolvedPaths} from '../../paths.js'
import {loadCandidate, secretValuesIn} from './config-source.js'

/** The running gateway as the config methods see it. One per `gateway run`; survives in-process restarts. */
export interface ConfigRpcHost {
  readonly paths: ResolvedPaths
  /** Our version (stamped into `meta` by writes). */
  readonly version: string
  /** The process environment; loads and validations work on copies of it. */
  readonly env: NodeJS.ProcessEnv
  /** Variables the running config set from its `env` section (replaced, not kept, when a document is evaluated). */
  envFromConfig(): readonly string[]
  /** Runs `fn` holding the gateway's config lock: base-hash check, write and reload happen under it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>
  /** Announces a successful write: `config.changed {path, hash, ts}` to read-scoped clients, once per hash. */
  written(hash: string | null): void
  /**
   * Applies the file on disk now with the RPC rules (hybrid, or nothing under reload mode `off`).
   * A restart-class change restarts in process after `restartDelayMs`. Call inside `exclusive`.
   */
  applyNow(restartDelayMs: number): Promise<{restart: boolean}>
}

/** `config.get` (protocol.md §6.2–6.3). */
export interface ConfigSnapshot {
  path: string
  exists: boolean
  valid: boolean
  raw: string | null
  parsed: unknown
  config: unknown
  issues: Array<{path: string; message: string}>
  warnings: Array<{path: string; message: string}>
  hash: string | null
}

/** Reads the config as `config.get` answers it; never touches the process environment. */
export function readConfigSnapshot(host: Pick<ConfigRpcHost, 'paths' | 'env' | 'envFromConfig'>): ConfigSnapshot {
  const {loaded, hash} = loadCandidate(host.paths, host.env, host.envFromConfig())
  const issues = loaded.issues.map((issue) => ({path: issue.path, message: issue.message}))
  const warnings = loaded.warnings.map((message) => ({path: '', message}))
  const base = {path: loaded.configPath, valid: loaded.config !== null, issues, warnings}
  if (!loaded.exists) return {...base, valid: issues.length === 0, exists: false, raw: null, parsed: null, config: null, hash: null}
  const parsed = loaded.topTree === null ? null : redactConfigTree(loaded.topTree)
  return {
    ...base,
    exists: true,
    raw: redactRawText(loaded.text, loaded.topTree, parsed),
    parsed,
    config: loaded.config === null ? null : redactConfigTree(loaded.config, {authored: loaded.authored}),
    hash,
  }
}

/**
 * The file's text with each secret string replaced by the placeholder, or null when that cannot
 * be done reliably: the text does not parse, or the replaced text does not parse back to exactly
 * the redacted tree (a secret written with escapes, or one that also occurs elsewhere).
 */
export function redactRawText(text: string | null, tree: Record<string, unknown> | null, redacted: unknown): string | null {
  if (text === null || tree === null) return null
  const secrets = secretValuesIn(tree, redacted).sort((a, b) => b.length - a.length)
  if (secrets.length === 0) return text
  let out = text
  for (const secret of secrets) out = out.split(secret).join(REDACTED_PLACEHOLDER)
  const check = parseJson5(out)
  return check.ok && treesEqual(check.value, redacted) ? out : null
}
