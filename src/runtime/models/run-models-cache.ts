/**
 * A runner's memo of `resolveRunModels` (candidates, keys): valid while the config object (one per
 * config generation: a reload replaces it) and the agent's `auth-profiles.json` (by a stat) are
 * unchanged; the env is the runner's, fixed at its start. Saves the per-turn provider merge and
 * the profile file read. Failures are not kept.
 */
import {statSync} from 'node:fs'
import path from 'node:path'

import type {Config} from '../config/schema/index.js'
import {resolveRunModels, type ResolveOptions, type RunModels} from './resolve-model.js'

/** Agent × override pairs kept per config generation (a new generation starts empty). */
const MAX_ENTRIES = 256

export class RunModelsCache {
  private config: Readonly<Config> | undefined
  private readonly entries = new Map<string, {profiles: string; models: RunModels}>()

  constructor(private readonly env: ResolveOptions['env']) {}

  resolve(config: Readonly<Config>, input: {agentId: string; override?: string; agentDir?: string}): RunModels {
    if (config !== this.config) {
      this.entries.clear()
      this.config = config
    }
    const key = `${input.agentId}\u0000${input.override ?? ''}\u0000${input.agentDir ?? ''}`
    const profiles = profilesStamp(input.agentDir)
    const cached = this.entries.get(key)
    if (cached !== undefined && cached.profiles === profiles) return cached.models
    const models = resolveRunModels(config, {...input, env: this.env})
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear()
    this.entries.set(key, {profiles, models})
    return models
  }
}

/** Changes whenever `auth-profiles.json` is written, replaced, created or removed. */
function profilesStamp(agentDir: string | undefined): string {
  if (agentDir === undefined) return ''
  try {
    const info = statSync(path.join(agentDir, 'auth-profiles.json'), {throwIfNoEntry: false})
    return info === undefined ? 'none' : `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`
  } catch {
    return 'unreadable'
  }
}
