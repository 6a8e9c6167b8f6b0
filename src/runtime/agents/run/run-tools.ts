/**
 * The tools of one run (runtime.md §8.7): models-tools' registry under the policy for this agent,
 * provider and model, adapted to the run loop's ToolRunner. Exec approvals go through the
 * runner's one ApprovalStore so `/approve` and `exec.approval.resolve` reach them.
 */
import type {Config} from '../../config/schema/index.js'
import type {ToolCallPart} from '../../models/messages.js'
import type {ApprovalStore} from '../../tools/approvals.js'
import {createToolRegistry} from '../../tools/registry.js'
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

export function runTools(input: RunToolsInput): ToolRunner {
  const agentTools = input.config.agents.list.find((agent) => agent.id === input.agentId)?.tools
  const registry = createToolRegistry({tools: input.config.tools, provider: input.provider, modelRef: input.modelRef, agentTools, offline: input.env.OPENCLAW_OFFLINE === '1'})
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
