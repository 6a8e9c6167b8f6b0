/**
 * The tools of one run (runtime.md §8.7): models-tools' registry under the policy for this agent,
 * provider and model, adapted to the run loop's ToolRunner. Exec approvals go through the
 * runner's one ApprovalStore so `/approve` and `exec.approval.resolve` reach them.
 */
import type {Config} from '../../config/schema/index.js'
import type {ToolCallPart} from '../../models/messages.js'
import type {ApprovalStore} from '../../tools/approvals.js'
import {createToolRegistry, type ToolRegistry} from '../../tools/registry.js'
import type {ToolRunner} from './run-turn.js'

export interface RunToolsInput {
  config: Readonly<Config>
  agentId: string
  sessionKey: string
  workspace: string
  provider: string
  modelRef: string
  approvals: ApprovalStore
  env: NodeJS.ProcessEnv
  /** Epoch ms when the run times out (exec's timeout is capped by it). */
  deadline: number
}

/**
 * Registries by config generation (a reload brings a new config object) and agent/provider/model:
 * the policy is resolved once, not on every turn, and a turn's tool definitions are the same
 * objects as the last turn's (the context budget memoises their size by them).
 */
export class ToolRegistryCache {
  private readonly byConfig = new WeakMap<Readonly<Config>, Map<string, ToolRegistry>>()

  get(input: Pick<RunToolsInput, 'config' | 'agentId' | 'provider' | 'modelRef' | 'env'>): ToolRegistry {
    let registries = this.byConfig.get(input.config)
    if (registries === undefined) this.byConfig.set(input.config, (registries = new Map()))
    const offline = input.env.OPENCLAW_OFFLINE === '1'
    const key = `${input.agentId}\u0000${input.provider}\u0000${input.modelRef}\u0000${offline}`
    let registry = registries.get(key)
    if (registry === undefined) {
      const agentTools = input.config.agents.list.find((agent) => agent.id === input.agentId)?.tools
      registry = createToolRegistry({tools: input.config.tools, provider: input.provider, modelRef: input.modelRef, agentTools, offline})
      registries.set(key, registry)
    }
    return registry
  }
}

export function runTools(input: RunToolsInput, cache = new ToolRegistryCache()): ToolRunner {
  const registry = cache.get(input)
  return {
    definitions: () => registry.definitions,
    run: async (call: ToolCallPart, signal: AbortSignal) => {
      const result = await registry.runTool(call, {
        agentId: input.agentId, sessionKey: input.sessionKey, workspace: input.workspace, config: input.config, signal,
        deadline: input.deadline, approvals: input.approvals, env: input.env,
      })
      return {text: result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n'), isError: result.isError}
    },
  }
}
