/**
 * One admitted run under its session lock (runtime.md §8.2–§8.4): the system prompt, the tools,
 * the turn loop with its timeout, the run's events, and the outcome (protocol.md §6.6). The run's
 * bookkeeping rides lazily on the next index write.
 */
import type {Config} from '../../config/schema/index.js'
import type {FailoverClock} from '../../models/failover.js'
import type {KeyPools} from '../../models/key-pool.js'
import type {ModelProvider, ResolvedModel} from '../../models/provider.js'
import type {SessionStores} from '../../sessions/store.js'
import type {ApprovalStore} from '../../tools/approvals.js'
import {assistantText, finalPayloadText} from './final-payload.js'
import {steerLines, type LaneMessage} from './lane-message.js'
import type {PromptCache} from './prompt-cache.js'
import type {Admitted, AgentRequest, RunOutcome, ThinkingLevel} from './run-contract.js'
import {RunEvents, type RunEventSink} from './run-events.js'
import {runTools, type ToolRegistryCache} from './run-tools.js'
import {runTurnLoop, TIMEOUT_REASON, type ToolRunner} from './run-turn.js'
import {buildSystemPrompt} from './system-prompt.js'

/** What a run uses of its runner. */
export interface ExecutionDeps {
  config(): Config
  env: NodeJS.ProcessEnv
  stores: SessionStores
  sink: RunEventSink
  tools?: ToolRunner
  clock?: FailoverClock
  providerFor?: (api: ResolvedModel['api']) => ModelProvider
  now: () => number
  pools: KeyPools
  approvals: ApprovalStore
  prompts: PromptCache
  toolRegistries: ToolRegistryCache
  /** Told which agent's index got lazy bookkeeping (the runner flushes it before a lock is released). */
  patched(agentId: string): void
}

export interface ExecutionInput {
  request: AgentRequest
  admitted: Admitted
  workspace: string
  candidates: Parameters<typeof runTurnLoop>[0]['candidates']
  controller: AbortController
  sessionId: string
  sessionThinking?: string
  steer(): LaneMessage[]
}

export async function executeRun(deps: ExecutionDeps, input: ExecutionInput): Promise<RunOutcome> {
  const {request, admitted, workspace, candidates, controller, sessionId} = input
  const config = deps.config()
  const store = deps.stores.forAgent(admitted.agentId)
  const startedAt = deps.now()
  const events = new RunEvents(deps.sink, {...admitted, requesterConnId: request.requesterConnId}, deps.now, request.observer)
  events.start(startedAt)
  const timeoutSeconds = request.timeoutSeconds ?? config.agents.defaults.timeoutSeconds
  const timer = setTimeout(() => controller.abort(TIMEOUT_REASON), timeoutSeconds * 1000)
  const agentEntry = config.agents.list.find((agent) => agent.id === admitted.agentId)
  const identity = agentEntry?.identity
  const thinkingLevel = request.thinking ?? (input.sessionThinking as ThinkingLevel | undefined) ?? agentEntry?.thinkingDefault ?? config.agents.defaults.thinkingDefault
  const tools = deps.tools ?? runTools({config, agentId: admitted.agentId, sessionKey: admitted.sessionKey, workspace, provider: candidates[0].model.provider, modelRef: candidates[0].model.ref, approvals: deps.approvals, env: deps.env, deadline: startedAt + timeoutSeconds * 1000}, deps.toolRegistries)
  const system = buildSystemPrompt({
    agentId: admitted.agentId, identity, tools: tools.definitions(), workspace, bootstrap: deps.prompts.bootstrap(workspace),
    maxCharsPerFile: config.agents.defaults.bootstrapMaxChars, maxCharsTotal: config.agents.defaults.bootstrapTotalMaxChars,
    conversation: {channel: request.channel ?? 'cli'}, extraSystemPrompt: request.extraSystemPrompt, modelRef: candidates[0].model.ref, now: new Date(startedAt), timeZone: config.agents.defaults.userTimezone,
    nowText: deps.prompts.formatNow(new Date(startedAt), config.agents.defaults.userTimezone),
  })
  let turn
  try {
    turn = await runTurnLoop({store, sessionKey: admitted.sessionKey, candidates, pools: deps.pools, system, tools, events, signal: controller.signal, now: deps.now, clock: deps.clock, providerFor: deps.providerFor, steer: () => steerLines(input.steer()), compaction: config.agents.defaults.compaction, thinkingLevel})
  } finally {
    clearTimeout(timer)
  }
  const endedAt = deps.now()
  const text = finalPayloadText(assistantText(turn.final))
  // Lazy: run bookkeeping rides on the next index write instead of two more fsyncs before the
  // final (the transcript, fsynced with the last line, is the record; §5.2 lets the index lag).
  deps.patched(admitted.agentId)
  await store.patch(admitted.sessionKey, {updatedAt: endedAt, lastInteractionAt: admitted.acceptedAt, inputTokens: turn.usage.input, outputTokens: turn.usage.output, totalTokens: turn.usage.totalTokens, abortedLastRun: turn.aborted || turn.timedOut}, {lazy: true})
  if (turn.error === undefined) events.end({startedAt, endedAt, stopReason: turn.stopReason, aborted: turn.aborted, finalText: assistantText(turn.final), usage: turn.usage})
  else events.error({error: turn.error.message, endedAt, errorKind: turn.error.kind, stopReason: turn.stopReason})
  const status = turn.timedOut ? 'timeout' : turn.error !== undefined ? 'error' : 'ok'
  const summary = turn.timedOut ? 'timeout' : turn.aborted ? 'aborted' : turn.error?.message ?? 'completed'
  const meta = {durationMs: endedAt - startedAt, provider: turn.provider, model: turn.model, usage: turn.usage, fallbackUsed: turn.fallbackUsed, aborted: turn.aborted}
  return {
    runId: admitted.runId, status, summary, stopReason: turn.stopReason, sessionKey: admitted.sessionKey, agentId: admitted.agentId, sessionId, startedAt, endedAt, text,
    result: {payloads: text === '' ? [] : [{text}], meta: {...meta, agentMeta: {sessionId, provider: turn.provider, model: turn.model, usage: turn.usage}}},
    ...(turn.error === undefined ? {} : {error: turn.error}),
  }
}
