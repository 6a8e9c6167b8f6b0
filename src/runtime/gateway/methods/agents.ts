/**
 * `agents.list/create/update/delete` (protocol.md §6.2): a factory over the config getter and the
 * config-ops context; writes go through the same owned-write functions as `openclaw agents …`
 * (the gateway's config watcher then emits `config.changed`).
 */
import {z} from 'zod'

import {addAgent, deleteAgent, updateAgent} from '../../agents/agents-admin.js'
import {resolveAgents} from '../../agents/registry.js'
import type {ConfigOpsContext} from '../../config/edit/edit-pipeline.js'
import type {Config} from '../../config/schema/index.js'
import {normalizeAgentId} from '../../routing/normalize.js'
import {defineMethod, type MethodDefinition} from '../server/registry.js'

export interface AgentsMethodsDeps {
  config(): Readonly<Config>
  ops: ConfigOpsContext
}

const identitySchema = z.strictObject({name: z.string().optional(), emoji: z.string().optional(), theme: z.string().optional(), avatar: z.string().optional()})

export function agentsMethods(deps: AgentsMethodsDeps): MethodDefinition[] {
  return [
    defineMethod({
      name: 'agents.list',
      scope: 'operator.read',
      params: z.object({}),
      handler: () => {
        const config = deps.config()
        const agents = resolveAgents(config, deps.ops.paths)
        return {
          defaultId: agents.find((a) => a.isDefault)?.id ?? 'main',
          mainKey: config.session.mainKey,
          agents: agents.map((a) => ({id: a.id, ...(a.name === null ? {} : {name: a.name}), ...(a.isDefault ? {default: true} : {}), workspace: a.workspace, ...(a.model === null ? {} : {model: a.model}), ...(Object.keys(a.identity).length === 0 ? {} : {identity: a.identity})})),
        }
      },
    }),
    defineMethod({
      name: 'agents.create',
      scope: 'operator.admin',
      params: z.strictObject({name: z.string().min(1), id: z.string().optional(), workspace: z.string().optional(), model: z.string().optional(), identity: identitySchema.optional()}),
      handler: async (params) => {
        const id = params.id ?? normalizeAgentId(params.name)
        const result = await addAgent(deps.ops, {id, name: params.name, workspace: params.workspace, model: params.model})
        if (params.identity !== undefined) await updateAgent(deps.ops, {id, identity: params.identity})
        return {ok: true, agentId: result.agent.id, workspace: result.agent.workspace}
      },
    }),
    defineMethod({
      name: 'agents.update',
      scope: 'operator.admin',
      params: z.strictObject({agentId: z.string().min(1), name: z.string().optional(), workspace: z.string().optional(), model: z.string().optional(), identity: identitySchema.optional()}),
      handler: async ({agentId, identity, ...rest}) => {
        const result = await updateAgent(deps.ops, {id: agentId, ...rest, ...(identity === undefined ? {} : {identity: identity as Record<string, string>})})
        return {ok: true, agentId: result.agentId}
      },
    }),
    defineMethod({
      name: 'agents.delete',
      scope: 'operator.admin',
      // deleteFiles moves the agent's files to backups/ (never removed), like `agents delete --purge`.
      params: z.strictObject({agentId: z.string().min(1), deleteFiles: z.boolean().optional()}),
      handler: async (params) => {
        const result = await deleteAgent(deps.ops, {id: params.agentId, purge: params.deleteFiles === true, force: true})
        return {ok: true, agentId: result.removed, removedBindings: result.bindingsRemoved.length, movedTo: result.movedTo}
      },
    }),
  ]
}
