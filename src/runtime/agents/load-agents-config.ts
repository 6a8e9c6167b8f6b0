/** The valid config for agent and session commands: an invalid one stops them with the §6.3 error. */
import {invalidConfigError} from '../config/issues.js'
import {loadConfig} from '../config/load.js'
import type {Config} from '../config/schema/index.js'
import type {ResolvedPaths} from '../paths.js'

export function loadValidConfig(ctx: {paths: ResolvedPaths; env: NodeJS.ProcessEnv}): Readonly<Config> {
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env, shellEnv: false})
  if (loaded.config === null) throw invalidConfigError(loaded.configPath, loaded.issues, ctx.paths.home)
  return loaded.config
}
