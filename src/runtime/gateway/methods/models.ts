/**
 * `models.list` (protocol.md §6): the models an agent can use, from the same report as
 * `openclaw models list`. A factory over its dependencies, registered by the agents subsystem.
 */
import {z} from 'zod'

import {resolveAgent, type AgentPaths} from '../../agents/registry.js'
import type {Config} from '../../config/schema/index.js'
import {listModels} from '../../models/models-report.js'
import {defineMethod, type MethodDefinition} from '../server/registry.js'

export interface ModelsMethodDeps {
  /** The current (hot-reloaded) config. */
  config(): Readonly<Config>
  paths: AgentPaths
  env: Readonly<Record<string, string | undefined>>
}

const ModelsListParams = z.object({agentId: z.string().min(1).optional()})

/** One row of the `models.list` result: upstream's `{id, name, provider, contextWindow?, reasoning?}` plus our ref, api and auth. */
export interface ModelsListEntry {
  id: string
  name: string
  provider: string
  contextWindow?: number
  reasoning?: boolean
  ref: string
  api: string
  alias?: string
  auth: 'ok' | 'missing'
  tags: string[]
}

export function modelsMethods(deps: ModelsMethodDeps): MethodDefinition[] {
  return [
    defineMethod({
      name: 'models.list',
      scope: 'operator.read',
      params: ModelsListParams,
      handler: (params): {models: ModelsListEntry[]} => {
        const config = deps.config()
        const agent = resolveAgent(config, deps.paths, params.agentId)
        const {models} = listModels(config, {env: deps.env, agentId: agent.id, agentDir: agent.agentDir, all: true})
        return {
          models: models.map((m) => ({
            id: m.ref.slice(m.provider.length + 1),
            name: m.name,
            provider: m.provider,
            contextWindow: m.contextWindow,
            reasoning: m.reasoning,
            ref: m.ref,
            api: m.api,
            ...(m.alias === undefined ? {} : {alias: m.alias}),
            auth: m.auth,
            tags: m.tags,
          })),
        }
      },
    }),
  ]
}
