import {existsSync} from 'node:fs'

import {writeOwnedConfig} from '../config/edit/owned-write.js'
import {treesEqual} from '../config/edit/tree-ops.js'
import type {DoctorContext} from './context.js'

/**
 * One doctor edit of the config file through the owned-write pipeline (config.md §10.3: lock,
 * `.bak`, atomic 0600 write, `meta` stamp). The file is copied into the doctor backup first; an
 * edit that changes nothing writes nothing. Returns true when the file changed.
 */
export async function writeDoctorConfig(ctx: DoctorContext, check: string, action: string, edit: (tree: Record<string, unknown>) => Record<string, unknown>): Promise<boolean> {
  const loaded = ctx.config()
  const current = loaded.topTree ?? {}
  if (loaded.exists && treesEqual(current, edit(structuredClone(current)))) return false
  if (existsSync(loaded.configPath)) ctx.backup.saveFile(check, action, loaded.configPath)
  else ctx.backup.record({check, action: 'create', path: loaded.configPath})
  const result = await writeOwnedConfig(
    {configPath: loaded.configPath, home: ctx.paths.home, env: ctx.env, version: ctx.version, now: () => ctx.now},
    (file) => ({tree: edit(structuredClone(file.topTree)), info: null}),
  )
  ctx.invalidate()
  return result.changed
}
