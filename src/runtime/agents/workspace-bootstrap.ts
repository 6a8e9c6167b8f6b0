/**
 * Agent homes on disk (operations.md §6.3, config.md §11): the workspace seeded with the bootstrap
 * files of `templates/workspace/` (each only when missing, never overwritten; BOOTSTRAP.md only
 * into an absent or empty workspace), the agentDir (0700) with `auth-profiles.json` (0600), and
 * the sessions dir (0700).
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {writeFileAtomic} from '../state/atomic-write.js'
import type {ResolvedAgent} from './registry.js'

/** Seeded into every workspace when missing. */
export const BOOTSTRAP_FILES = ['AGENTS.md', 'SOUL.md', 'USER.md', 'IDENTITY.md', 'TOOLS.md', 'HEARTBEAT.md'] as const
/** Only into a workspace that was absent or empty (a first run). */
export const FIRST_RUN_FILE = 'BOOTSTRAP.md'

export interface SeedOptions {
  /** `agents.defaults.skipBootstrap` / `--skip-bootstrap`: create directories only. */
  skipBootstrap?: boolean
  /** `gateway run --dev`: no BOOTSTRAP.md. */
  noFirstRun?: boolean
  /** Where the templates live; default: the package's `templates/workspace`. */
  templatesDir?: string
}

/**
 * The package's `templates/workspace`: found by walking up from this module (the bundle in
 * `dist/`, or the source file under `src/runtime/agents/` in tests).
 */
export function workspaceTemplatesDir(): string {
  let dir = __dirname
  for (let up = 0; up < 6; up++) {
    const candidate = path.join(dir, 'templates', 'workspace')
    if (existsSync(path.join(candidate, 'AGENTS.md'))) return candidate
    dir = path.dirname(dir)
  }
  throw new Error('templates/workspace not found beside the installed bundle')
}

/** Creates what is missing of the agent's workspace, agentDir and sessions dir; returns created paths. */
export function ensureAgentHome(agent: Pick<ResolvedAgent, 'workspace' | 'agentDir' | 'sessionsDir'>, options: SeedOptions = {}): string[] {
  const created: string[] = []
  const wasEmpty = !existsSync(agent.workspace) || readdirSync(agent.workspace).length === 0
  if (!existsSync(agent.workspace)) {
    mkdirSync(agent.workspace, {recursive: true, mode: 0o755})
    created.push(agent.workspace)
  }
  if (options.skipBootstrap !== true) {
    const templates = options.templatesDir ?? workspaceTemplatesDir()
    const files: string[] = [...BOOTSTRAP_FILES]
    if (wasEmpty && options.noFirstRun !== true) files.push(FIRST_RUN_FILE)
    for (const name of files) {
      const target = path.join(agent.workspace, name)
      try {
        // `wx`: never overwrite a file the user has (even one created since we looked).
        writeFileSync(target, readFileSync(path.join(templates, name), 'utf8'), {flag: 'wx', mode: 0o644})
        created.push(target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
  }
  for (const dir of [agent.agentDir, agent.sessionsDir]) {
    if (existsSync(dir)) continue
    mkdirSync(dir, {recursive: true, mode: 0o700})
    created.push(dir)
  }
  const profiles = path.join(agent.agentDir, 'auth-profiles.json')
  if (!existsSync(profiles)) {
    writeFileAtomic(profiles, JSON.stringify({version: 1, profiles: {}}, null, 2) + '\n', {mode: 0o600})
    created.push(profiles)
  }
  return created
}
