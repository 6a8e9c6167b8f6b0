import {readFile} from 'node:fs/promises'
import path from 'node:path'

import type {Interfaces} from '@oclif/core'

import {AppError} from '../runtime/errors/app-error.js'

/**
 * Every start reads the routing manifest (dist/oclif.routes.json: ids, args, summaries; see
 * scripts/oclif-patches.mjs), a fifth of the full one. Help pages and completion need each command's
 * flags, description and examples: this reads the full oclif.manifest.json and adds what each
 * cached command lacks, in place (oclif's configs share these objects), before they render.
 * Nothing happens when the commands already have their details (oclif read the full manifest).
 */
export async function loadCommandDetails(config: Interfaces.Config): Promise<void> {
  const commands = config.getPluginsList().filter((p) => p.root === config.root).flatMap((p) => p.commands as unknown as Array<Record<string, unknown>>)
  if (commands.every((command) => command.flags !== undefined)) return
  const file = path.join(config.root, 'oclif.manifest.json')
  let full: {commands?: Record<string, Record<string, unknown>>}
  try {
    full = JSON.parse(await readFile(file, 'utf8')) as typeof full
  } catch (error) {
    throw new AppError('INTERNAL', `cannot read the command manifest ${file}: ${(error as Error).message}`, {
      hint: ['Reinstall openclaw (npm install -g openclaw), or in a checkout rebuild it: npm run build'],
    })
  }
  for (const command of commands) {
    const details = full.commands?.[command.id as string] ?? {}
    for (const [key, value] of Object.entries(details)) if (!(key in command)) command[key] = value
  }
}
