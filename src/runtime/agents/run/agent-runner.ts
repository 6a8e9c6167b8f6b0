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
import type {Logger} from '../../logging/index.js'
import type {FailoverClock} from '../../models/failover.js'
import {KeyPools} from '../../models/key-pool.js'
import type {ModelProvider, ResolvedModel} from '../../models/provider.js'
import {RunModelsCache} from '../../models/run-models-cache.js'
import type {ResolvedPaths} from '../../paths.js'
import type {InboundEnvelope} from '../../routing/envelope.js'
import {resolveRoute} from '../../routing/resolve-route.js'
import {canonicalSessionKey, mainSessionKey} from '../../routing/session-key.js'
import {resolveResetPolicy, staleReason, type ResetPolicyConfig} from '../../sessions/reset-policy.js'
import type {MessageOrigin, SessionStores} from '../../sessions/store.js'
import {ApprovalStore} from '../../tools/approvals.js'
import {agentDir, agentWorkspace, requireAgent} from '../agent-home.js'
import {resolveAgents} from '../registry.js'
import {AdmissionOrder} from './admission-order.js'
import {ChannelReplies, chatKey} from './channel-replies.js'
import type {DeliverySink, InboundAccepted} from './inbound.js'
import {consumingOrigin, deliveryTarget, droppedOutcome, memberImages, resetWhere, userMessage, type LaneMessage} from './lane-message.js'
import type {DeliveryMarkerState, PendingDelivery} from './pending-deliveries.js'
import {PromptCache} from './prompt-cache.js'
import {GLOBAL_QUEUE_LIMIT} from './queue-plan.js'
import {replayAfterRestart, type ReplayReport} from './restart-replay.js'
import {runChatCommandIfAny, type CommandOutcome} from './run-command.js'
import type {Admitted, AgentRequest, RunHandle, RunOutcome} from './run-contract.js'
import {fallbackNotice, type RunEventSink} from './run-events.js'
import {executeRun, type ExecutionDeps} from './run-execution.js'
import {RunSlots} from './run-slots.js'
import {ToolRegistryCache} from './run-tools.js'
import type {ToolRunner} from './run-turn.js'
import {SessionLane} from './session-lane.js'

export type {AgentRequest, Admitted, RunHandle, RunOutcome, ThinkingLevel} from './run-contract.js'

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
  /** Told when a new message is dropped because the gateway-wide queue is full (§8.5). */
  logger?: Pick<Logger, 'warn'>
  /** Queued messages gateway-wide beyond which new arrivals are dropped (default 1000). */
  globalQueueLimit?: number
  /**
   * The delivery sink of a channel origin (restart replay sends replayed and unsent replies through
   * it); `resume` names the preview message the crash left, which the final then edits.
   */
  channelSink?(origin: MessageOrigin, resume?: {previewMessageId: string}): DeliverySink | undefined
}

/** Finished runs remembered for `agent.wait`. */
const FINISHED_KEPT = 1000

export class AgentRunner {
  readonly pools = new KeyPools()
  /** Pending exec approvals of this gateway / CLI run (`/approve`, `exec.approval.resolve`). */
  readonly approvals: ApprovalStore
  /** Session key -> its lane while a turn runs or messages wait (§8.5). */
  private readonly lanes = new Map<string, SessionLane<LaneMessage>>()
  private readonly active = new Map<string, {sessionKey: string; done: Promise<RunOutcome>; startedAt: number}>()
  private readonly finished = new Map<string, RunOutcome>()
  /** Agents whose index got lazy run bookkeeping (`settled` flushes them). */
  private readonly patched = new Set<string>()
  private readonly slots: RunSlots
  private readonly order = new AdmissionOrder()
  /** Channel replies: each turn's final reaches each chat once. */
  private readonly replies: ChannelReplies
  private readonly execution: ExecutionDeps
  private readonly now: () => number
  /** Model candidates per agent, resolved once per config generation (and auth-profiles.json change). */
  private readonly models: RunModelsCache

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? Date.now
    this.models = new RunModelsCache(deps.env)
    this.slots = new RunSlots(() => deps.config().agents.defaults.maxConcurrent)
    this.approvals = new ApprovalStore({
      file: path.join(deps.paths.stateDir, 'exec-approvals.json'),
      listener: {
        requested: (request) => deps.sink.publish('exec.approval.requested', {approvalKind: 'exec', id: request.id, request: {command: request.command, cwd: request.cwd, agentId: request.agentId, sessionKey: request.sessionKey}, createdAtMs: request.createdAtMs, expiresAtMs: request.expiresAtMs}),
        resolved: (request, decision) => deps.sink.publish('exec.approval.resolved', {id: request.id, decision, ts: this.now()}),
      },
    })
    this.replies = new ChannelReplies(deps.stores)
    this.execution = {
      config: deps.config, env: deps.env, stores: deps.stores, sink: deps.sink, tools: deps.tools, clock: deps.clock, providerFor: deps.providerFor,
      now: this.now, pools: this.pools, approvals: this.approvals, prompts: new PromptCache(), toolRegistries: new ToolRegistryCache(),
      patched: (agentId) => this.patched.add(agentId),
    }
  }

  /** Resolves, commits and starts one run; throws AppError (nothing written) when it cannot run. */
  async start(request: AgentRequest): Promise<RunHandle> {
    if (request.committed === undefined) await this.order.live()
    const config = this.deps.config()
    const agentId = requireAgent(config, request.agentId)
    const sessionKey = request.sessionKey === undefined || request.sessionKey === '' ? mainSessionKey(agentId, config.session) : canonicalSessionKey(request.sessionKey, agentId)
    return this.order.run(sessionKey, () => this.admit(request, config, agentId, sessionKey))
  }

  /** Commits one message on a session (its admissions run in call order) and starts or queues its run. */
  private async admit(request: AgentRequest, config: Config, agentId: string, sessionKey: string): Promise<RunHandle> {
    const store = this.deps.stores.forAgent(agentId)
    // Reading the index of a store that was never written would create its directory: bad input must write nothing.
    const existing = path.isAbsolute(store.dir) && !existsSync(store.dir) ? undefined : await store.get(sessionKey)
    const models = this.models.resolve(config, {agentId, override: request.model ?? existing?.modelOverride, agentDir: agentDir(config, this.deps.paths, agentId)})
    const runId = request.runId ?? randomUUID()
    const workspace = agentWorkspace(config, this.deps.paths, agentId)
    // §6.2: a stale session starts over at admission (archived, with resetReason), never under a running turn.
    if (existing !== undefined && !this.lanes.has(sessionKey)) {
      const reason = staleReason(resolveResetPolicy(config.session as ResetPolicyConfig, resetWhere(request.origin)), existing, this.now())
      if (reason !== null) await store.reset(sessionKey, {reason, expectedSessionId: existing.sessionId})
    }
    const {entry} = await store.ensure(sessionKey, {agentId, cwd: workspace, channel: request.origin?.channel})
    const acceptedAt = this.now()
    const lane = this.lanes.get(sessionKey)
    const queued = lane !== undefined
    const admitted: Admitted = {runId, sessionKey, agentId, sessionId: entry.sessionId, acceptedAt, queued}
    const dedupeKey = request.origin?.dedupeKeys?.[0] ?? `run:${runId}`
    let settle: (outcome: RunOutcome | Error) => void = () => undefined
    const done = new Promise<RunOutcome>((resolve, reject) => (settle = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))))
    const waiting: LaneMessage = {runId, text: request.message, senderName: request.origin?.senderName ?? '', at: acceptedAt, target: deliveryTarget(request), dedupeKeys: request.origin?.dedupeKeys ?? [dedupeKey], settle, request, admitted, workspace, candidates: models.candidates}
    if (lane === undefined) {
      // The lane is taken before the await, so a message arriving meanwhile queues behind this one.
      const fresh = new SessionLane<LaneMessage>()
      this.lanes.set(sessionKey, fresh)
      try {
        if (request.committed !== 'user-line') await store.append(sessionKey, {type: 'message', message: userMessage(request.message, this.now(), request.images), ...(request.origin === undefined ? {} : {origin: request.origin})})
      } catch (error) {
        this.lanes.delete(sessionKey)
        throw error
      }
      void this.runLane(sessionKey, fresh, {members: [waiting], text: request.message})
    } else {
      const total = [...this.lanes.values()].reduce((sum, each) => sum + each.size(), 0)
      if (total >= (this.deps.globalQueueLimit ?? GLOBAL_QUEUE_LIMIT)) {
        // §8.5: a full gateway drops the new arrival (logged, recorded); the caller gets a dropped outcome.
        this.deps.logger?.warn('gateway queue full: message dropped', {agentId, sessionKey, runId, queued: total, channel: request.origin?.channel ?? request.channel ?? 'cli'})
        await this.drop(agentId, sessionKey, [waiting], 'queue-full')
      } else {
        // The lane stays open until this message is in its queue: were it to finish meanwhile, the message would be lost.
        const {discarded, mode} = await lane.admit(async () => {
          if (request.committed === undefined) await store.append(sessionKey, {type: 'custom', customType: 'openclaw.inbound', data: {runId, text: request.message, origin: request.origin ?? null, dedupeKey, ...(request.images?.length ? {images: request.images} : {})}})
          const current = this.deps.config()
          const mode = (await store.get(sessionKey))?.queueMode ?? current.messages.queue.mode
          return {discarded: lane.add(waiting, mode, current.messages.queue.cap, acceptedAt), mode}
        })
        await this.drop(agentId, sessionKey, discarded, mode === 'interrupt' ? 'interrupt' : 'cap')
      }
    }
    this.active.set(runId, {sessionKey, done, startedAt: acceptedAt})
    void done.then((outcome) => this.remember(outcome), () => undefined).finally(() => this.active.delete(runId))
    return {admitted, done}
  }

  /** Runs the lane's turns one after another until nothing waits, then frees the lane. */
  private async runLane(sessionKey: string, lane: SessionLane<LaneMessage>, first: {members: LaneMessage[]; text: string}): Promise<void> {
    let turn: {members: LaneMessage[]; text: string} | undefined = first
    let written = true
    try {
      while (turn !== undefined) {
        const lead = turn.members[0]
        const controller = new AbortController()
        lane.controller = controller
        lane.runningIds = turn.members.map((member) => member.runId)
        try {
          const store = this.deps.stores.forAgent(lead.admitted.agentId)
          if (!written) await store.append(sessionKey, {type: 'message', message: userMessage(turn.text, this.now(), memberImages(turn.members)), origin: consumingOrigin(turn.members)})
          const outcome = await this.locked(lead, controller, lane)
          for (const member of [...turn.members, ...lane.takeJoined()]) member.settle({...outcome, runId: member.runId, turnRunId: outcome.runId})
        } catch (error) {
          for (const member of [...turn.members, ...lane.takeJoined()]) member.settle(error instanceof Error ? error : new Error(String(error)))
        }
        lane.controller = undefined
        lane.runningIds = []
        const config = this.deps.config()
        // A failed index read must not reject this unawaited loop (the queue falls back to the configured mode).
        const entry = await this.deps.stores.forAgent(lead.admitted.agentId).get(sessionKey).catch(() => undefined)
        const mode = entry?.queueMode ?? config.messages.queue.mode
        if (mode === 'collect' && lane.size() > 0) await this.quiet(lane, config.messages.queue.debounceMs)
        turn = lane.next(mode, config.agents.defaults.userTimezone)
        // A message that saw this lane busy is still writing its marker: it runs here, not in a lane closed under it.
        while (turn === undefined && (await lane.admissionsSettled())) turn = lane.next(mode, config.agents.defaults.userTimezone)
        written = false
      }
    } finally {
      this.lanes.delete(sessionKey)
    }
  }

  /** Waits until no message arrived in the lane for `debounceMs`. */
  private async quiet(lane: SessionLane<LaneMessage>, debounceMs: number): Promise<void> {
    for (;;) {
      const left = lane.lastArrival + debounceMs - this.now()
      if (left <= 0) return
      await new Promise((resolve) => setTimeout(resolve, left))
    }
  }

  private async locked(lead: LaneMessage, controller: AbortController, lane: SessionLane<LaneMessage>): Promise<RunOutcome> {
    const store = this.deps.stores.forAgent(lead.admitted.agentId)
    const lock = await store.lock(lead.admitted.sessionKey, this.deps.owner)
    try {
      await this.slots.acquire()
      try {
        const entry = await store.get(lead.admitted.sessionKey)
        const sessionId = entry?.sessionId ?? lead.admitted.sessionId
        return await executeRun(this.execution, {request: lead.request, admitted: lead.admitted, workspace: lead.workspace, candidates: lead.candidates, controller, sessionId, sessionThinking: entry?.thinkingLevel, steer: () => lane.takeSteer()})
      } finally {
        this.slots.release()
      }
    } finally {
      await lock.release()
    }
  }

  /** Discarded queued messages get one drop marker and an aborted outcome (§8.5). */
  private async drop(agentId: string, sessionKey: string, messages: LaneMessage[], reason: 'cap' | 'interrupt' | 'stop' | 'shutdown' | 'queue-full'): Promise<void> {
    if (messages.length === 0) return
    if (reason !== 'shutdown') await this.deps.stores.forAgent(agentId).append(sessionKey, {type: 'custom', customType: 'openclaw.inbound_dropped', data: {dedupeKeys: messages.flatMap((message) => message.dedupeKeys), reason}})
    for (const message of messages) message.settle(droppedOutcome(message, reason, this.now()))
  }

  /** Runs `request.message` as a chat command when it is one (no model call); null for model text. */
  command(request: Pick<AgentRequest, 'message' | 'agentId' | 'sessionKey' | 'channel'>, version: string): Promise<CommandOutcome | null> {
    return runChatCommandIfAny(request, {config: this.deps.config(), paths: this.deps.paths, stores: this.deps.stores, runner: this, version, now: this.now})
  }

  /** Aborts the running turn of a session and drops what waits behind it (or one run); returns the run ids. */
  abort(sessionKey: string, runId?: string): string[] {
    const lane = this.lanes.get(sessionKey)
    if (lane === undefined) return []
    const ids: string[] = []
    if (runId === undefined || lane.runningIds.includes(runId)) {
      lane.controller?.abort('aborted')
      ids.push(...lane.runningIds)
    }
    const discarded = lane.discard(runId)
    ids.push(...discarded.map((message) => message.runId))
    if (discarded.length > 0) void this.drop(discarded[0].admitted.agentId, sessionKey, discarded, 'stop').catch(() => undefined)
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

  /** Restart replay (restart-replay.ts) over every configured agent's store; the gateway calls it once at start. */
  replay(): Promise<ReplayReport> {
    const config = this.deps.config()
    const channelSink = this.deps.channelSink
    const report = replayAfterRestart({
      agentIds: resolveAgents(config, this.deps.paths).map((agent) => agent.id), store: (agentId) => this.deps.stores.forAgent(agentId), start: (request) => this.start(request),
      ...(channelSink === undefined ? {} : {
        follow: (handle: RunHandle, origin: MessageOrigin, resume?: {previewMessageId: string}) => {
          const sink = channelSink(origin, resume)
          if (sink !== undefined) this.replies.follow(handle, sink, {dedupeKey: origin.dedupeKeys?.[0] ?? `run:${handle.admitted.runId}`, chat: chatKey(origin.channel, origin.accountId, origin.peer), replyToMessageId: origin.messageIds?.at(-1)})
        },
        redeliver: async (where: {agentId: string; sessionKey: string}, pending: PendingDelivery) => {
          const sink = channelSink(pending.origin, pending.previewMessageId === undefined ? undefined : {previewMessageId: pending.previewMessageId})
          if (sink !== undefined) await this.replies.deliverFinal(sink, {...where, dedupeKey: pending.dedupeKey}, pending.text, pending.origin.messageIds?.at(-1))
        },
      }),
    })
    this.order.holdFor(report)
    return report
  }

  /** Active runs (for health/status). */
  activeRuns(): Array<{runId: string; sessionKey: string; startedAt: number}> {
    return [...this.active].map(([runId, run]) => ({runId, sessionKey: run.sessionKey, startedAt: run.startedAt}))
  }

  /** Aborts every active run (shutdown after the drain) and waits for them to write their partial answers. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()]
    // Queued messages keep their unconsumed markers: the next start queues them again (§8.5).
    for (const lane of this.lanes.values()) {
      const discarded = lane.discard()
      lane.controller?.abort('shutdown')
      if (discarded.length > 0) await this.drop(discarded[0].admitted.agentId, '', discarded, 'shutdown')
    }
    await Promise.allSettled(runs.map((run) => run.done))
    await this.settled()
  }

  /** Resolves once the lazy index writes of finished runs are on disk (before a lock is released). */
  async settled(): Promise<void> {
    await Promise.all([...this.patched].map((agentId) => this.deps.stores.forAgent(agentId).flush()))
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
    const origin: MessageOrigin = {channel: envelope.channel, accountId: envelope.accountId, peer: envelope.peer, senderId: envelope.sender.id, senderName: envelope.sender.displayName, messageIds: [envelope.messageId], dedupeKeys: [envelope.dedupeKey], delivery: 'channel'}
    const handle = await this.start({message: command?.followUp ?? envelope.text, ...(envelope.images?.length ? {images: envelope.images} : {}), agentId: route.agentId, sessionKey: route.sessionKey, origin, channel: envelope.channel, observer: (event) => {
      if (event.kind === 'text') sink.preview(event.text)
      else if (event.kind === 'fallback' && envelope.peer.kind === 'direct') sink.notice?.(fallbackNotice(event))
    }})
    sink.typing()
    // §3.3: the main session remembers where its last message came from (`agent --deliver` without --to replies there).
    if (route.lastRoutePolicy === 'main') void this.rememberRoute(route.agentId, handle.admitted.sessionKey, envelope)
    this.replies.follow(handle, sink, {dedupeKey: envelope.dedupeKey, chat: chatKey(envelope.channel, envelope.accountId, envelope.peer), replyToMessageId: envelope.messageId})
    return {runId: handle.admitted.runId, sessionKey: handle.admitted.sessionKey, agentId: handle.admitted.agentId, queued: handle.admitted.queued}
  }

  private async rememberRoute(agentId: string, sessionKey: string, envelope: InboundEnvelope): Promise<void> {
    const [chat, , topic] = envelope.peer.id.split(':')
    const thread = topic ?? envelope.threadId
    this.patched.add(agentId)
    await this.deps.stores.forAgent(agentId).patch(sessionKey, {lastChannel: envelope.channel, lastTo: chat, lastAccountId: envelope.accountId, ...(thread === undefined ? {} : {lastThreadId: thread})}, {lazy: true}).catch(() => undefined)
  }

  /**
   * `agent --deliver` (protocol.md §6.5): a finished run's final text through the channel sink of
   * its `origin` (the same path and `openclaw.delivery` markers as a channel reply), once. `sink`
   * overrides the runner's channel sinks (the embedded CLI has no running channel).
   */
  async deliverReply(outcome: RunOutcome, origin: MessageOrigin, sink = this.deps.channelSink?.(origin)): Promise<DeliveryMarkerState | 'none' | 'unavailable'> {
    return sink === undefined ? 'unavailable' : this.replies.deliverReply(outcome, origin, sink)
  }

  /** The config and session stores runs read (`agent` request preparation resolves selectors against them). */
  get context(): {config: Config; stores: SessionStores} {
    return {config: this.deps.config(), stores: this.deps.stores}
  }

  private remember(outcome: RunOutcome): void {
    this.finished.set(outcome.runId, outcome)
    if (this.finished.size > FINISHED_KEPT) this.finished.delete(this.finished.keys().next().value as string)
  }
}
