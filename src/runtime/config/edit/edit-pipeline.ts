import {readFileSync} from 'node:fs'

import {AppError} from '../../errors/app-error.js'
import type {ResolvedPaths} from '../../paths.js'
import {readLiveGatewayLock} from '../../state/gateway-lock-info.js'
import {locateIssues} from '../issue-locations.js'
import {formatIssue, type ConfigIssue} from '../issues.js'
import {loadConfig} from '../load.js'
import {legacyKeysBySection, legacySectionRefusal} from '../schema/legacy.js'
import {diffConfigPaths} from './diff-paths.js'
import {evaluateTopTree, invalidConfigWarning, issueTexts, newIssues, type EvaluatedTree} from './evaluate-tree.js'
import {writeOwnedConfig, type CurrentConfigFile} from './owned-write.js'
import {classifyConfigChange, type ReloadClass} from './reload-class.js'
import {tryParseConfigPath} from './path-syntax.js'
import {getAtPath} from './tree-ops.js'

/** What every config runtime function needs: where things are, the environment, and our version (for `meta`). */
export interface ConfigOpsContext {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  version: string
  /** Clock for `meta.lastTouchedAt`. */
  now?: () => Date
}

/** The common part of the `config set|unset|patch` results (config.md §10.2). */
export interface EditResultFields {
  changed: boolean
  reload: ReloadClass
  backup: string | null
  configPath: string
  dryRun: boolean
  /** For stderr / the envelope's `warnings`. */
  warnings: string[]
  /** Human-only: the §10.4 reload hint, or null when there is nothing to say. */
  reloadHint: string | null
}

/** What a planner sees: the file as read under the lock, and that tree evaluated. */
export interface EditInput {
  current: CurrentConfigFile
  old: EvaluatedTree
}

export interface EditRun extends EditResultFields {
  changedPaths: string[]
}

/**
 * Runs one config edit end to end: applies the env sources (a load), then under the owned-write
 * pipeline reads the file, lets `plan` build the new top tree, refuses edits inside sections
 * that still hold legacy keys, refuses results that add issues (a new unset `${VAR}` is only a
 * warning), writes, and works out the changed paths, reload class and hint.
 */
export async function runConfigEdit(ctx: ConfigOpsContext, verb: 'set' | 'unset' | 'patch', dryRun: boolean, plan: (input: EditInput) => Record<string, unknown>): Promise<EditRun> {
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env})
  const evaluate = (tree: Record<string, unknown>) => evaluateTopTree(tree, {paths: ctx.paths, env: ctx.env, envFromConfig: loaded.envFromConfig})
  const write = await writeOwnedConfig({configPath: ctx.paths.configPath, home: ctx.paths.home, env: ctx.env, version: ctx.version, dryRun, now: ctx.now}, (current) => {
    const old = evaluate(current.topTree)
    const tree = plan({current, old})
    refuseLegacySections(current.topTree, tree, old.legacyKeys)
    const next = evaluate(tree)
    const added = newIssues(old.comparableIssues, next.comparableIssues).filter((issue) => issue.code !== 'CONFIG_ENV_MISSING')
    if (added.length > 0) {
      const count = `${added.length} issue${added.length === 1 ? '' : 's'}`
      throw new AppError('CONFIG_EDIT_REFUSED', `config ${verb} refused: the result would add ${count} (nothing was written):`, {
        hint: ['See the allowed keys and types: openclaw config schema'],
        details: {issues: added.map((issue) => ({...issue, text: formatIssue(issue, ctx.paths.home)}))},
      })
    }
    return {tree, info: {old, next}}
  })
  const {old, next} = write.info
  const changedPaths = write.changed ? diffConfigPaths(old.authored ?? write.before.topTree, next.authored ?? write.after) : []
  const reload = classifyConfigChange(changedPaths).reload
  const warnings = [...loaded.warnings, ...write.warnings]
  if (next.issues.length > 0) warnings.push(invalidConfigWarning(next.issues.length), ...issueTexts(locateWritten(next, write.changed && !dryRun ? write.configPath : null), ctx.paths.home))
  return {
    changed: write.changed,
    changedPaths,
    reload,
    backup: write.backup,
    configPath: write.configPath,
    dryRun,
    warnings,
    reloadHint: write.changed && !dryRun ? reloadHint(ctx.paths, reload, old, next) : null,
  }
}

/** The issues of what was written, with lines in the top file read back (the candidate had no text). */
function locateWritten(next: EvaluatedTree, written: string | null): ConfigIssue[] {
  if (written === null) return next.issues
  let topText: string
  try {
    topText = readFileSync(written, 'utf8')
  } catch {
    return next.issues
  }
  const unlocated = next.issues.map((issue) => (issue.file === next.sourceMap.topFile ? {...issue, line: undefined, column: undefined} : issue))
  return locateIssues(unlocated, {...next.sourceMap, topText})
}

/**
 * config.md §10.4: what to tell the user about a running gateway on this state dir. Nothing when
 * none runs or the change needs no reload. The reload mode is the one of the config the running
 * gateway loaded (the file before this edit): `hybrid` and `restart` restart in process by
 * themselves, `hot` only logs that a restart is needed, `off` ignores the file. An edit that leaves
 * the config unloadable is skipped by the gateway (it keeps its config), so that is what we say.
 */
export function reloadHint(paths: Pick<ResolvedPaths, 'stateDir'>, reload: ReloadClass, running: Pick<EvaluatedTree, 'config' | 'authored'>, next?: Pick<EvaluatedTree, 'issues'>): string | null {
  const lock = reload === 'none' ? null : readLiveGatewayLock(paths)
  if (lock === null) return null
  const found = getAtPath(running.config ?? running.authored, ['gateway', 'reload', 'mode'])
  const mode = found.found && typeof found.value === 'string' ? found.value : 'hybrid'
  const restartCommand = 'openclaw gateway restart'
  if (mode === 'off') return `The running gateway doesn't watch the config (gateway.reload.mode=off); apply by restarting it in process: ${restartCommand}`
  if (next !== undefined && next.issues.length > 0) return 'The running gateway will skip this change: the config does not load (see the warnings above); it keeps its current config until that is fixed.'
  if (reload === 'hot') return 'The running gateway applies this without a restart.'
  if (mode === 'hot') return `The running gateway only hot-reloads (gateway.reload.mode=hot); restart it in process to apply: ${restartCommand}`
  return `The running gateway applies this by restarting itself in process (gateway.reload.mode=${mode}).`
}

/**
 * config.md §6.4: owned writes leave legacy keys as authored and refuse an edit inside a
 * top-level section that still holds some. Removing a legacy key (or a parent of one) is allowed.
 */
function refuseLegacySections(before: Record<string, unknown>, after: Record<string, unknown>, legacyKeys: readonly string[]): void {
  if (legacyKeys.length === 0) return
  const bySection = legacyKeysBySection(legacyKeys)
  const related = (a: string, b: string) => a === b || b.startsWith(`${a}.`) || b.startsWith(`${a}[`) || a.startsWith(`${b}.`) || a.startsWith(`${b}[`)
  for (const changed of diffConfigPaths(before, after)) {
    const section = /^[^.[]*/.exec(changed)?.[0] ?? changed
    const inSection = bySection.get(section)
    if (inSection === undefined) continue
    if (inSection.some((key) => related(changed, key)) && !hasRendered(after, changed)) continue
    throw new AppError('CONFIG_EDIT_REFUSED', legacySectionRefusal(legacyKeys, section) ?? `${section} uses legacy keys; rename them by hand first`, {
      hint: ['See which keys: openclaw config validate', 'Rename them by hand in the file: openclaw config file'],
    })
  }
}

function hasRendered(tree: Record<string, unknown>, rendered: string): boolean {
  const segments = tryParseConfigPath(rendered)
  return segments !== null && getAtPath(tree, segments).found
}
