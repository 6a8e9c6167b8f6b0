import {resolveAgent} from '../agents/registry.js'
import {loadConfig} from '../config/load.js'
import {invalidConfigError} from '../config/issues.js'
import type {Config} from '../config/schema/index.js'
import type {ResolvedPaths} from '../paths.js'
import {listModels, type ModelListRow} from './models-report.js'
import {modelsStatus, type ModelsStatus} from './models-status.js'

interface CommandContext {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
}

function validConfig(ctx: CommandContext): {config: Readonly<Config>; warnings: string[]} {
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env})
  if (loaded.config === null) throw invalidConfigError(loaded.configPath, loaded.issues, ctx.paths.home)
  return {config: loaded.config, warnings: loaded.warnings}
}

/** `openclaw models list` (operations.md §2.5): local files only, no network. */
export function runModelsList(ctx: CommandContext, flags: {all?: boolean; provider?: string}): {models: ModelListRow[]; warnings: string[]} {
  const {config, warnings} = validConfig(ctx)
  const agent = resolveAgent(config, ctx.paths)
  return {...listModels(config, {env: ctx.env, agentId: agent.id, agentDir: agent.agentDir, all: flags.all, provider: flags.provider}), warnings}
}

/** `openclaw models status` (operations.md §10): the agent's chain, no network. */
export function runModelsStatus(ctx: CommandContext, flags: {agent?: string}): ModelsStatus & {warnings: string[]} {
  const {config, warnings} = validConfig(ctx)
  const agent = resolveAgent(config, ctx.paths, flags.agent)
  return {...modelsStatus(config, {agentId: agent.id, agentDir: agent.agentDir, env: ctx.env, now: Date.now()}), warnings}
}
