import {getAtPath, setAtPath} from '../../config/edit/tree-ops.js'
import {tryParseConfigPath} from '../../config/edit/path-syntax.js'
import {planLegacyMigration, type LegacyChange} from '../../config/schema/legacy.js'
import {writeDoctorConfig} from '../config-write.js'
import type {DoctorCheck} from '../doctor-check.js'

/**
 * Legacy config keys (config.md §6.4, §13) written to their current homes. A key whose value
 * cannot move without loss (the destination holds another value, or there is no destination) is
 * kept as written and reported; only `--yes` removes it. So no setting is ever silently dropped.
 */
export const legacyConfigKeysCheck: DoctorCheck = {
  id: 'config.legacy-keys',
  title: 'Legacy config keys',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    const top = ctx.config().topTree
    if (top === null) return {status: 'pass', message: 'no config file'}
    const plan = planLegacyMigration(top)
    if (plan.changes.length === 0) return {status: 'pass', message: 'no legacy keys'}
    const lossy = plan.changes.filter((c) => c.kind !== 'moved')
    const moved = plan.changes.filter((c) => c.kind === 'moved')
    const describe = (c: LegacyChange) => (c.kind === 'moved' ? `${c.from} -> ${c.to}` : `${c.from} (${c.kind === 'conflict' ? `conflicts with ${c.to}` : 'no supported destination'})`)
    const conflict = lossy.some((c) => c.kind === 'conflict')
    const target = (tree: Record<string, unknown>, dropLossy: boolean) => {
      const migrated = planLegacyMigration(tree)
      return dropLossy ? migrated.tree : keepLossy(tree, migrated.tree, migrated.changes)
    }
    const canMove = moved.length > 0 && !sameTree(top, target(top, false))
    const message = [moved.length > 0 ? `migratable: ${moved.map(describe).join(', ')}` : '', lossy.length > 0 ? `kept as written: ${lossy.map(describe).join(', ')}` : ''].filter(Boolean).join('; ')
    return {
      status: conflict ? 'fail' : 'warn',
      message,
      fix: canMove
        ? {summary: 'move legacy keys to their current place (a copy of the file is kept)', safe: true, command: ctx.fixCommand()}
        : {summary: 'remove the legacy keys that cannot be migrated (their values are in the backup)', safe: false, command: ctx.fixCommand(' --yes')},
      repair: async (consent) => {
        const dropLossy = consent.lossy
        const changed = await writeDoctorConfig(ctx, 'config.legacy-keys', 'migrate-keys', (tree) => target(tree, dropLossy))
        if (!changed) return {actions: [], files: []}
        const actions = moved.map((c) => `moved ${c.from} to ${c.to}`)
        if (dropLossy) actions.push(...lossy.map((c) => `removed ${c.from}`))
        return {actions, files: [ctx.paths.configPath]}
      },
    }
  },
}

/** Puts every lossy legacy key back, as written, into the migrated tree. */
function keepLossy(original: Record<string, unknown>, migrated: Record<string, unknown>, changes: readonly LegacyChange[]): Record<string, unknown> {
  let tree: unknown = migrated === original ? structuredClone(original) : migrated
  for (const change of changes) {
    if (change.kind === 'moved') continue
    const segments = tryParseConfigPath(change.from)
    if (segments === null) continue
    const value = getAtPath(original, segments)
    if (!value.found || getAtPath(tree, segments).found) continue
    try {
      tree = setAtPath(tree, segments, structuredClone(value.value))
    } catch {
      // The migrated tree has a scalar where the key's parent was: the destination won; the value is in the backup.
    }
  }
  return tree as Record<string, unknown>
}

function sameTree(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
