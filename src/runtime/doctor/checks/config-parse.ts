import {readFileSync, renameSync, statSync} from 'node:fs'
import path from 'node:path'

import {loadConfig} from '../../config/load.js'
import {formatIssue} from '../../config/issues.js'
import {tildify} from '../../paths.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import {compactStamp} from '../backup-session.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'
import {listDir} from '../fs-inspect.js'

/**
 * The config file parses (and its includes resolve). When it does not, the exact line is in
 * the message and the newest `<config>.bak*` that parses and validates is offered:
 * `--fix --restore-last-good` moves the broken file to `<config>.broken-<ts>` and restores it.
 */
export const configParseCheck: DoctorCheck = {
  id: 'config.parse',
  title: 'Config file',
  lint: true,
  inspect: (ctx) => {
    const loaded = ctx.config()
    const shown = tildify(loaded.configPath, ctx.paths.home)
    if (!loaded.exists) return {status: 'warn', message: `no config file at ${shown}; defaults apply`, fix: {summary: 'create one with the setup wizard', safe: false, command: 'openclaw onboard'}}
    if (ctx.configParsed()) return {status: 'pass', message: shown}
    const problems = loaded.issues.filter((i) => i.code === 'CONFIG_PARSE' || i.code === 'CONFIG_INCLUDE').map((i) => formatIssue(i, ctx.paths.home))
    const good = newestGoodBackup(ctx)
    if (good === null) return {status: 'fail', message: `${problems.join('; ')} (no parsable .bak found)`, fix: {summary: `fix the file by hand: ${shown}`, safe: false}}
    const command = `${ctx.fixCommand(' --restore-last-good')}`
    return {
      status: 'fail',
      message: `${problems.join('; ')}; ${tildify(good, ctx.paths.home)} parses and is valid`,
      fix: {summary: `restore ${path.basename(good)} (the broken file is kept as ${path.basename(loaded.configPath)}.broken-<ts>)`, safe: false, command},
      approved: ctx.flags.restoreLastGood,
      repair: () => {
        const broken = `${loaded.configPath}.broken-${compactStamp(ctx.now)}`
        ctx.backup.saveFile('config.parse', 'restore-last-good', loaded.configPath)
        renameSync(loaded.configPath, broken)
        ctx.backup.record({check: 'config.parse', action: 'rename', path: broken, from: loaded.configPath, to: broken})
        writeFileAtomic(loaded.configPath, readFileSync(good), {mode: 0o600})
        ctx.invalidate()
        return {actions: [`moved the broken config to ${path.basename(broken)}`, `restored ${path.basename(good)}`], files: [loaded.configPath, broken]}
      },
    }
  },
}

/** Newest (by mtime) `<config>.bak*` that parses and has no schema issue. */
function newestGoodBackup(ctx: DoctorContext): string | null {
  const configPath = ctx.paths.configPath
  const dir = path.dirname(configPath)
  const prefix = `${path.basename(configPath)}.bak`
  const candidates = listDir(dir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => path.join(dir, name))
    .map((file) => ({file, mtime: mtimeOf(file)}))
    .sort((a, b) => b.mtime - a.mtime)
  for (const {file} of candidates) {
    const loaded = loadConfig({paths: {...ctx.paths, configPath: file}, env: {...ctx.env}, shellEnv: false})
    if (loaded.exists && loaded.issues.every((i) => i.code === 'CONFIG_ENV_MISSING')) return file
  }
  return null
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}
