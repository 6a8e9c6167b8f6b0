import {existsSync, renameSync, symlinkSync} from 'node:fs'
import path from 'node:path'

import {tildify} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'
import type {DoctorContext} from '../context.js'
import {lstatOrNull} from '../fs-inspect.js'

const LEGACY_CONFIG_NAMES = ['clawdbot.json', 'moltbot.json', 'moldbot.json']

/**
 * `~/.clawdbot` (and `.moltbot`, `.moldbot`) → `~/.openclaw` with a symlink back, and a legacy
 * config name → `openclaw.json` (config.md §13). The rename is rolled back when the link fails.
 */
export const legacyStateCheck: DoctorCheck = {
  id: 'paths.legacy-state',
  title: 'Legacy state dir and config name',
  lint: true,
  inspect: (ctx) => {
    const legacy = ctx.paths.legacyStateDir
    if (legacy !== null) {
      const from = path.join(ctx.paths.home, legacy)
      const to = path.join(ctx.paths.home, '.openclaw')
      return {
        status: 'warn',
        message: `using the legacy state dir ~/${legacy}`,
        fix: {summary: `rename ~/${legacy} to ~/.openclaw and link ~/${legacy} to it`, safe: true, command: ctx.fixCommand()},
        repair: () => renameStateDir(ctx, from, to),
      }
    }
    const config = legacyConfigName(ctx)
    if (config !== null) {
      const target = path.join(path.dirname(config), 'openclaw.json')
      return {
        status: 'warn',
        message: `config uses the legacy name ${path.basename(config)}`,
        fix: {summary: `rename ${path.basename(config)} to openclaw.json`, safe: true, command: ctx.fixCommand()},
        repair: () => {
          renameSync(config, target)
          ctx.backup.record({check: 'paths.legacy-state', action: 'rename', path: target, from: config, to: target})
          ctx.invalidate()
          return {actions: [`renamed ${path.basename(config)} to openclaw.json`], files: [target]}
        },
      }
    }
    return {status: 'pass', message: 'no legacy state dir or config name in use'}
  },
}

function legacyConfigName(ctx: DoctorContext): string | null {
  const {configPath, stateDir} = ctx.paths
  if (path.dirname(configPath) !== stateDir || !LEGACY_CONFIG_NAMES.includes(path.basename(configPath))) return null
  return existsSync(path.join(stateDir, 'openclaw.json')) ? null : configPath
}

function renameStateDir(ctx: DoctorContext, from: string, to: string) {
  const home = ctx.paths.home
  if (lstatOrNull(from)?.isSymbolicLink() === true || existsSync(to)) return {actions: [], files: []}
  renameSync(from, to)
  try {
    symlinkSync(to, from, 'dir')
  } catch (error) {
    renameSync(to, from)
    throw new Error(`could not link ${tildify(from, home)} to ${tildify(to, home)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the rename was rolled back`, {cause: error})
  }
  ctx.invalidate()
  // The backup dir lives in the new location, created right after the rename (operations.md §5.3).
  ctx.backup.record({check: 'paths.legacy-state', action: 'rename+symlink', path: to, from, to})
  const actions = [`renamed ${tildify(from, home)} to ${tildify(to, home)}`, `linked ${tildify(from, home)} -> ${tildify(to, home)}`]
  const config = legacyConfigName(ctx)
  if (config !== null) {
    const target = path.join(path.dirname(config), 'openclaw.json')
    renameSync(config, target)
    ctx.backup.record({check: 'paths.legacy-state', action: 'rename', path: target, from: config, to: target})
    ctx.invalidate()
    actions.push(`renamed ${path.basename(config)} to openclaw.json`)
  }
  return {actions, files: [to]}
}
