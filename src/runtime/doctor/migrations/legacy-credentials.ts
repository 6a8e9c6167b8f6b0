import {existsSync, readFileSync, renameSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../../config/deep-merge.js'
import {tildify} from '../../paths.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import type {DoctorCheck} from '../doctor-check.js'

/** The ids in an allowFrom file: a bare array or `{allowFrom: [...]}`; null when unreadable. */
function readIds(file: string): string[] | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
    const list = Array.isArray(value) ? value : isPlainObject(value) && Array.isArray(value.allowFrom) ? value.allowFrom : null
    return list === null ? null : list.filter((v) => typeof v === 'string' || typeof v === 'number').map(String)
  } catch {
    return null
  }
}

/**
 * `credentials/telegram-allowFrom.json` → merged into `telegram-default-allowFrom.json`; the old
 * file is renamed `.migrated` and never deleted (config.md §13).
 */
export const legacyCredentialsCheck: DoctorCheck = {
  id: 'state.legacy-credentials',
  title: 'Legacy Telegram allowlist',
  lint: true,
  inspect: (ctx) => {
    const dir = path.join(ctx.paths.stateDir, 'credentials')
    const legacy = path.join(dir, 'telegram-allowFrom.json')
    if (!existsSync(legacy)) return {status: 'pass', message: 'no legacy allowlist file'}
    const target = path.join(dir, 'telegram-default-allowFrom.json')
    const home = ctx.paths.home
    const ids = readIds(legacy)
    if (ids === null) return {status: 'warn', message: `${tildify(legacy, home)} does not parse; it is left alone`, fix: {summary: 'fix or remove it by hand', safe: false}}
    return {
      status: 'warn',
      message: `${tildify(legacy, home)} is the old allowlist (${ids.length} ids)`,
      fix: {summary: `merge it into ${path.basename(target)} (the old file is kept as .migrated)`, safe: true, command: ctx.fixCommand()},
      repair: () => {
        const current = existsSync(target) ? readIds(target) : []
        if (current === null) throw new Error(`${tildify(target, home)} does not parse; fix it first`)
        const merged = [...new Set([...current, ...ids])]
        if (existsSync(target)) ctx.backup.saveFile('state.legacy-credentials', 'merge', target)
        else ctx.backup.record({check: 'state.legacy-credentials', action: 'create', path: target})
        writeFileAtomic(target, JSON.stringify({version: 1, allowFrom: merged}, null, 2) + '\n', {mode: 0o600})
        renameSync(legacy, `${legacy}.migrated`)
        ctx.backup.record({check: 'state.legacy-credentials', action: 'rename', path: `${legacy}.migrated`, from: legacy, to: `${legacy}.migrated`})
        return {actions: [`merged ${ids.length} ids into ${path.basename(target)}`, `kept the old file as ${path.basename(legacy)}.migrated`], files: [target, `${legacy}.migrated`]}
      },
    }
  },
}
