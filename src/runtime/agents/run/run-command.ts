/**
 * Chat commands from every entry point (issue 7 decisions): `/new`, `/reset`, `/status`, `/help`,
 * `/model`, `/stop`, `/approve` are answered without a model call by the chat-command executors,
 * with this runner as their RunControl. `/new <text>` returns the text to run next.
 */
import type {Config} from '../../config/schema/index.js'
import {configModelChoices} from '../../chat-commands/model-choices.js'
import {executeChatCommand, type ChatCommandResult, type RunControl} from '../../chat-commands/execute.js'
import {parseChatText} from '../../chat-commands/parse.js'
import {agentModelSelection} from '../../models/model-ref.js'
import type {ResolvedPaths} from '../../paths.js'
import {mainSessionKey, canonicalSessionKey} from '../../routing/session-key.js'
import {describeResetPolicy, nextResetAt, resolveResetPolicy, type ResetPolicyConfig} from '../../sessions/reset-policy.js'
import type {SessionStores} from '../../sessions/store.js'
import {agentWorkspace, requireAgent} from '../agent-home.js'
import type {AgentRunner} from './agent-runner.js'

export interface CommandInput {
  message: string
  agentId?: string
  sessionKey?: string
  channel?: string
}

export interface CommandOutcome extends ChatCommandResult {
  agentId: string
  sessionKey: string
}

/** Executes `input.message` when it is a chat command; null when it is text for the model. */
export async function runChatCommandIfAny(input: CommandInput, deps: {config: Config; paths: ResolvedPaths; stores: SessionStores; runner: AgentRunner; version: string; now(): number}): Promise<CommandOutcome | null> {
  const config = deps.config
  const parsed = parseChatText(input.message, {resetTriggers: config.session.resetTriggers})
  if (parsed.kind !== 'command') return null
  const agentId = requireAgent(config, input.agentId)
  const sessionKey = input.sessionKey === undefined || input.sessionKey === '' ? mainSessionKey(agentId, config.session) : canonicalSessionKey(input.sessionKey, agentId)
  const selection = agentModelSelection(config, agentId)
  const policy = resolveResetPolicy(config.session as ResetPolicyConfig, {channel: input.channel})
  const runner = deps.runner
  const run: RunControl = {
    stop: (key) => {
      const ids = runner.abort(key)
      return Promise.resolve({stopped: ids.length > 0, droppedQueued: Math.max(0, ids.length - 1)})
    },
    approve: (id, decision) => {
      try {
        runner.approvals.resolveApproval(id, decision)
        return Promise.resolve({found: true})
      } catch {
        return Promise.resolve({found: false})
      }
    },
    state: (key) => {
      const active = runner.activeRuns().filter((r) => r.sessionKey === key)
      return {running: active.length > 0, runningSinceMs: active[0]?.startedAt, queued: Math.max(0, active.length - 1)}
    },
  }
  if (parsed.command.name === 'new' || parsed.command.name === 'reset') runner.abort(sessionKey)
  const result = await executeChatCommand(parsed.command, {
    store: deps.stores.forAgent(agentId), sessionKey, agentId,
    sessionInit: {agentId, cwd: agentWorkspace(config, deps.paths, agentId), channel: input.channel},
    models: configModelChoices(config, {model: selection.primary ?? null, fallbacks: selection.fallbacks}),
    run,
    resetPolicy: {description: describeResetPolicy(policy), nextAt: (entry) => nextResetAt(policy, entry, deps.now())},
    version: deps.version,
    now: deps.now,
  })
  return {...result, agentId, sessionKey}
}
