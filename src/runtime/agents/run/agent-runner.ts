/**
 * Admission and lifecycle of agent runs (runtime.md §8.1, §8.5, §8.9): resolve everything before
 * committing (an unknown agent, provider or a missing key writes nothing), commit the input (the
 * user line, or an `openclaw.inbound` marker behind an active run), serialize per session lane,
 * cap concurrent runs globally, time out and abort, and remember finished runs for `agent.wait`.
 * One runner per gateway (or per CLI process for embedded runs).
 */
import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import path from 'node:path'

import type {Config} from '../../config/schema/index.js'
import type {FailoverClock} from '../../models/failover.js'
import {KeyPools} from '../../models/key-pool.js'
import type {Usage} from '../../models/messages.js'
import type {ModelProvider, ResolvedModel} from '../../models/provider.js'
import {resolveRunModels} from '../../models/resolve-model.js'
import type {ResolvedPaths} from '../../paths.js'
import {resolveRoute} from '../../routing/resolve-route.js'
import type {InboundEnvelope} from '../../routing/envelope.js'
import {canonicalSessionKey, mainSessionKey} from '../../routing/session-key.js'
import type {MessageOrigin, SessionStores} from '../../sessions/store.js'
import {agentDir, agentWorkspace, requireAgent} from '../agent-home.js'
import {assistantText, finalPayloadText} from './final-payload.js'
import type {DeliverySink, InboundAccepted} from './inbound.js'
import {RunEvents, type RunEventSink, type RunObserver} from './run-events.js'
import {runTurnLoop, TIMEOUT_REASON, type ToolRunner} from './run-turn.js'
import {buildSystemPrompt, readBootstrapFiles} from './system-prompt.js'
import {runChatCommandIfAny, type CommandOutcome} from './run-command.js'
import {RunSlots} from './run-slots.js'
import {runTools} from './run-tools.js'
import {ApprovalStore} from '../../tools/approvals.js'

export interface RunnerDeps {
  config(): Config
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  stores: SessionStores
  sink: RunEventSink
  owner: 'gateway' | 'cli'
  now?: () => number
  tools?: ToolRunner
  clock?: FailoverClock
  providerFor?: (api: ResolvedModel['api']) => ModelProvider
}

export interface AgentRequest {
  message: string
  agentId?: string
  sessionKey?: string
  /** RPC runs use the idempotencyKey; default a fresh UUID. */
  runId?: string
  timeoutSeconds?: number
  extraSystemPrompt?: string
  origin?: MessageOrigin
  /** `chat.send`/`agent` = `webchat`-like operator channel; channels name themselves. */
  channel?: string
  observer?: RunObserver
  /** The gateway connection that asked (receives the `tool` events). */
  requesterConnId?: string
}

export interface Admitted {
  runId: string
  sessionKey: string
  agentId: string
  sessionId: string
  acceptedAt: number
  queued: boolean
}

/** The final `agent` response body (protocol.md §6.6 + OpenClaw's `meta.agentMeta`). */
export interface RunOutcome {
  runId: string
  status: 'ok' | 'error' | 'timeout'
  summary: string
  stopReason: string
  sessionKey: string
  agentId: string
  sessionId: string
  startedAt: number
  endedAt: number
  text: string
  result: {payloads: Array<{text: string}>; meta: {durationMs: number; provider: string; model: string; usage: Usage; fallbackUsed: boolean; aborted: boolean; agentMeta: {sessionId: string; provider: string; model: string; usage: Usage}}}
  error?: {message: string; kind: string}
}

export interface RunHandle {
  admitted: Admitted
  done: Promise<RunOutcome>
}

/** Finished runs remembered for `agent.wait`. */
const FINISHED_KEPT = 1000

export class AgentRunner {
  readonly pools = new KeyPools()
  /** Pending exec approvals of this gateway / CLI run (`/approve`, `exec.approval.resolve`). */
  readonly approvals: ApprovalStore
  private readonly lanes = new Map<string, Promise<void>>()
  private readonly active = new Map<string, {sessionKey: string; controller: AbortController; done: Promise<RunOutcome>; startedAt: number}>()
  private readonly finished = new Map<string, RunOutcome>()
  private readonly slots: RunSlots
  private readonly now: () => number

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now
    this.slots = new RunSlots(() => deps.config().agents.defaults.maxConcurrent)
    this.approvals = new ApprovalStore({
      file: path.join(deps.paths.stateDir, 'exec-approvals.json'),
      listener: {
        requested: (request) => deps.sink.publish('exec.approval.requested', {approvalKind: 'exec', id: request.id, request: {command: request.command, cwd: request.cwd, agentId: request.agentId, sessionKey: request.sessionKey}, createdAtMs: request.createdAtMs, expiresAtMs: request.expiresAtMs}),
        resolved: (request, decision) => deps.sink.publish('exec.approval.resolved', {id: request.id, decision, ts: this.now()}),
      },
    })
  }

  /** Resolves, commits and starts one run; throws AppError (nothing written) when it cannot run. */
  async start(request: AgentRequest): Promise<RunHandle> {
    const config = this.deps.config()
    const agentId = requireAgent(config, request.agentId)
    const sessionKey = request.sessionKey === undefined || request.sessionKey === '' ? mainSessionKey(agentId, config.session) : canonicalSessionKey(request.sessionKey, agentId)
    const store = this.deps.stores.forAgent(agentId)
    // Reading the index of a store that was never written would create its directory: bad input must write nothing.
    const existing = path.isAbsolute(store.dir) && !existsSync(store.dir) ? undefined : await store.get(sessionKey)
    const models = resolveRunModels(config, {agentId, override: existing?.modelOverride, env: this.deps.env, agentDir: agentDir(config, this.deps.paths, agentId)})
    const runId = request.runId ?? randomUUID()
    const workspace = agentWorkspace(config, this.deps.paths, agentId)
    const {entry} = await store.ensure(sessionKey, {agentId, cwd: workspace, channel: request.origin?.channel})
    const previous = this.lanes.get(sessionKey)
    const queued = previous !== undefined
    let releaseLane = (): void => undefined
    const lane = new Promise<void>((resolve) => (releaseLane = resolve))
    const chained = (previous ?? Promise.resolve()).then(() => lane)
    this.lanes.set(sessionKey, chained)
    const userLine = {type: 'message' as const, message: {role: 'user' as const, content: [{type: 'text' as const, text: request.message}], timestamp: this.now()}, ...(request.origin === undefined ? {} : {origin: request.origin})}
    try {
      if (queued) await store.append(sessionKey, {type: 'custom', customType: 'openclaw.inbound', data: {runId, text: request.message, origin: request.origin ?? null}})
      else await store.append(sessionKey, userLine)
    } catch (error) {
      releaseLane()
      throw error
    }
    const acceptedAt = this.now()
    const admitted: Admitted = {runId, sessionKey, agentId, sessionId: entry.sessionId, acceptedAt, queued}
    const controller = new AbortController()
    const done = (async (): Promise<RunOutcome> => {
      try {
        await previous
        if (queued) await store.append(sessionKey, userLine)
        const lock = await store.lock(sessionKey, this.deps.owner)
        try {
          await this.slots.acquire()
          try {
            return await this.execute({request, admitted, workspace, candidates: models.candidates, controller, sessionId: (await store.get(sessionKey))?.sessionId ?? entry.sessionId})
          } finally {
            this.slots.release()
          }
        } finally {
          await lock.release()
        }
      } finally {
        releaseLane()
        if (this.lanes.get(sessionKey) === chained) this.lanes.delete(sessionKey)
      }
    })()
    this.active.set(runId, {sessionKey, controller, done, startedAt: acceptedAt})
    void done.then((outcome) => this.remember(outcome), () => undefined).finally(() => this.active.delete(runId))
    return {admitted, done}
  }

  /** Runs `request.message` as a chat command when it is one (no model call); null for model text. */
  command(request: Pick<AgentRequest, 'message' | 'agentId' | 'sessionKey' | 'channel'>, version: string): Promise<CommandOutcome | null> {
    return runChatCommandIfAny(request, {config: this.deps.config(), paths: this.deps.paths, stores: this.deps.stores, runner: this, version, now: this.now})
  }

  /** Aborts the active (and queued) runs of a session, or one run; returns the aborted run ids. */
  abort(sessionKey: string, runId?: string): string[] {
    const ids: string[] = []
    for (const [id, run] of this.active) {
      if (run.sessionKey !== sessionKey || (runId !== undefined && id !== runId)) continue
      run.controller.abort('aborted')
      ids.push(id)
    }
    return ids
  }

  /** `agent.wait`: the outcome, or null when the wait ran out (`pending`), or undefined for an unknown run. */
  async wait(runId: string, timeoutMs: number): Promise<RunOutcome | null | undefined> {
    const finished = this.finished.get(runId)
    if (finished !== undefined) return finished
    const run = this.active.get(runId)
    if (run === undefined) return undefined
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))
    try {
      return await Promise.race([run.done, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Active runs (for health/status). */
  activeRuns(): Array<{runId: string; sessionKey: string; startedAt: number}> {
    return [...this.active].map(([runId, run]) => ({runId, sessionKey: run.sessionKey, startedAt: run.startedAt}))
  }

  /** Aborts every active run (shutdown after the drain) and waits for them to write their partial answers. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()]
    for (const run of runs) run.controller.abort('shutdown')
    await Promise.allSettled(runs.map((run) => run.done))
  }

  /** The channel entry point (inbound.ts). */
  async inbound(envelope: InboundEnvelope, sink: DeliverySink): Promise<InboundAccepted> {
    const config = this.deps.config()
    const route = resolveRoute(config, envelope)
    const command = await this.command({message: envelope.text, agentId: route.agentId, sessionKey: route.sessionKey, channel: envelope.channel}, 'gateway')
    if (command !== null && command.followUp === undefined) {
      sink.final({text: command.reply, replyToMessageId: envelope.messageId})
      return {runId: randomUUID(), sessionKey: command.sessionKey, agentId: command.agentId, queued: false}
    }
    const origin: MessageOrigin = {channel: envelope.channel, accountId: envelope.accountId, peer: envelope.peer, senderId: envelope.sender.id, senderName: envelope.sender.displayName, messageIds: [envelope.messageId], dedupeKeys: [envelope.dedupeKey]}
    const handle = await this.start({message: command?.followUp ?? envelope.text, agentId: route.agentId, sessionKey: route.sessionKey, origin, channel: envelope.channel, observer: (event) => {
      if (event.kind === 'text') sink.preview(event.text)
    }})
    sink.typing()
    void handle.done.then(
      (outcome) => {
        if (outcome.status !== 'ok' && outcome.text === '') sink.error(outcome.error?.message ?? outcome.summary)
        else sink.final({text: outcome.text, replyToMessageId: envelope.messageId})
      },
      (error: unknown) => sink.error(error instanceof Error ? error.message : String(error)),
    )
    return {runId: handle.admitted.runId, sessionKey: handle.admitted.sessionKey, agentId: handle.admitted.agentId, queued: handle.admitted.queued}
  }

  private async execute(input: {request: AgentRequest; admitted: Admitted; workspace: string; candidates: Parameters<typeof runTurnLoop>[0]['candidates']; controller: AbortController; sessionId: string}): Promise<RunOutcome> {
    const {request, admitted, workspace, candidates, controller, sessionId} = input
    const config = this.deps.config()
    const store = this.deps.stores.forAgent(admitted.agentId)
    const startedAt = this.now()
    const events = new RunEvents(this.deps.sink, {...admitted, requesterConnId: request.requesterConnId}, this.now, request.observer)
    events.start(startedAt)
    const timeoutSeconds = request.timeoutSeconds ?? config.agents.defaults.timeoutSeconds
    const timer = setTimeout(() => controller.abort(TIMEOUT_REASON), timeoutSeconds * 1000)
    const identity = config.agents.list.find((agent) => agent.id === admitted.agentId)?.identity
    const tools = this.deps.tools ?? runTools({config, agentId: admitted.agentId, sessionKey: admitted.sessionKey, workspace, provider: candidates[0].model.provider, modelRef: candidates[0].model.ref, approvals: this.approvals, env: this.deps.env, deadline: startedAt + timeoutSeconds * 1000})
    const system = buildSystemPrompt({
      agentId: admitted.agentId, identity, tools: tools.definitions(), workspace, bootstrap: readBootstrapFiles(workspace),
      maxCharsPerFile: config.agents.defaults.bootstrapMaxChars, maxCharsTotal: config.agents.defaults.bootstrapTotalMaxChars,
      conversation: {channel: request.channel ?? 'cli'}, extraSystemPrompt: request.extraSystemPrompt, modelRef: candidates[0].model.ref, now: new Date(this.now()), timeZone: config.agents.defaults.userTimezone,
    })
    let turn
    try {
      turn = await runTurnLoop({store, sessionKey: admitted.sessionKey, candidates, pools: this.pools, system, tools, events, signal: controller.signal, now: this.now, clock: this.deps.clock, providerFor: this.deps.providerFor})
    } finally {
      clearTimeout(timer)
    }
    const endedAt = this.now()
    const text = finalPayloadText(assistantText(turn.final))
    await store.patch(admitted.sessionKey, {updatedAt: endedAt, inputTokens: turn.usage.input, outputTokens: turn.usage.output, totalTokens: turn.usage.totalTokens, abortedLastRun: turn.aborted || turn.timedOut})
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

  private remember(outcome: RunOutcome): void {
    this.finished.set(outcome.runId, outcome)
    if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.keys().next().value as string)
  }
}
