import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {ensureDir} from '../state/ensure-state-dir.js'

/** The bootstrap files seeded into a workspace (operations.md §6.3), in order. */
export const BOOTSTRAP_FILES = ['AGENTS.md', 'SOUL.md', 'IDENTITY.md', 'USER.md', 'TOOLS.md', 'HEARTBEAT.md'] as const

/** `templates/workspace/` of the installed package: found from the bundle (dist/) or the sources (src/runtime/onboard/). */
export function workspaceTemplatesDir(): string {
  // The CJS bundle (and vitest) define __dirname; import.meta is unavailable in the bundle.
  const here = __dirname
  for (const up of ['..', '../..', '../../..']) {
    const candidate = path.resolve(here, up, 'templates', 'workspace')
    if (existsSync(candidate)) return candidate
  }
  throw new Error('templates/workspace not found next to the openclaw package')
}

/**
 * Seeds `dir` with the bootstrap files, each only if missing (never overwritten);
 * `BOOTSTRAP.md` only when the directory was absent or empty. Dirs 0755, files 0644 (config.md §11).
 * Returns the files written.
 */
export function seedWorkspace(dir: string, options: {bootstrap?: boolean} = {}): string[] {
  const wasEmpty = !existsSync(dir) || readdirSync(dir).length === 0
  ensureDir(dir, 0o755)
  const templates = workspaceTemplatesDir()
  const names: string[] = [...BOOTSTRAP_FILES]
  if (wasEmpty && options.bootstrap !== false) names.push('BOOTSTRAP.md')
  const written: string[] = []
  for (const name of names) {
    const target = path.join(dir, name)
    if (existsSync(target)) continue
    try {
      writeFileSync(target, readFileSync(path.join(templates, name)), {flag: 'wx', mode: 0o644})
      written.push(target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return written
}
