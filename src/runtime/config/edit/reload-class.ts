import {tryParseConfigPath} from './path-syntax.js'

export type ReloadClass = 'hot' | 'restart' | 'none'

/**
 * The config.md §8 table: how a running gateway applies a change under each prefix. Matched by
 * the longest prefix (whole segments); a path no prefix matches counts as restart.
 */
export const RELOAD_RULES: ReadonlyArray<readonly [prefix: string, reloadClass: ReloadClass]> = [
  ['gateway.reload', 'hot'],
  ['gateway.remote', 'none'],
  ['gateway', 'restart'],
  ['plugins', 'restart'],
  ['channels.telegram', 'hot'],
  ['agents', 'hot'],
  ['bindings', 'hot'],
  ['session', 'hot'],
  ['models', 'hot'],
  ['tools', 'hot'],
  ['auth', 'hot'],
  ['messages', 'hot'],
  ['commands', 'hot'],
  ['logging', 'hot'],
  ['diagnostics', 'hot'],
  ['env', 'hot'],
  ['hooks', 'hot'],
  ['cron', 'hot'],
  ['meta', 'none'],
  ['wizard', 'none'],
  ['$schema', 'none'],
]

const RULES = RELOAD_RULES.map(([prefix, reloadClass]) => ({segments: prefix.split('.'), reloadClass}))

export interface ReloadClassification {
  hot: string[]
  restart: string[]
  none: string[]
  /** restart if any path needs it, else hot if any path is hot, else none. */
  reload: ReloadClass
}

/** Classifies one rendered config path (`channels.telegram.accounts.ops.botToken`). */
export function classifyConfigPath(path: string): ReloadClass {
  const segments = tryParseConfigPath(path)
  if (segments === null) return 'restart'
  let best: {length: number; reloadClass: ReloadClass} = {length: 0, reloadClass: 'restart'}
  for (const rule of RULES) {
    const matches = rule.segments.length <= segments.length && rule.segments.every((part, index) => segments[index] === part)
    if (matches && rule.segments.length > best.length) best = {length: rule.segments.length, reloadClass: rule.reloadClass}
  }
  return best.reloadClass
}

/**
 * Splits changed paths (from `diffConfigPaths`) by reload class. Pure; the CLI's reload hint and
 * the gateway's hot reload both use it.
 */
export function classifyConfigChange(paths: readonly string[]): ReloadClassification {
  const out: ReloadClassification = {hot: [], restart: [], none: [], reload: 'none'}
  for (const path of paths) out[classifyConfigPath(path)].push(path)
  out.reload = out.restart.length > 0 ? 'restart' : out.hot.length > 0 ? 'hot' : 'none'
  return out
}
