/**
 * The `agent` request (protocol.md §6.5, operations.md §2.2) made into one run, shared by the `agent`
 * RPC and the embedded CLI. Session: `sessionKey` > `sessionId` (the session whose current id it
 * is) > `to` (routed like an inbound message from that chat) > the agent's main session. Delivery
 * (`deliver`): the target, else the session's last route, else the chat its key names. Everything
 * is checked before admission: a bad selector, or an unresolvable target with `deliver` and not
 * `bestEffortDeliver`, throws and nothing is written.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'

import type {Config} from '../../config/schema/index.js'
import {THINKING_LEVELS} from '../../config/schema/agents.js'
import {AppError} from '../../errors/app-error.js'
import type {ImagePart} from '../../models/messages.js'
import {agentIdOfSessionKey, buildSessionKey, canonicalSessionKey, mainSessionKey} from '../../routing/session-key.js'
import {defaultAgentId, resolveRoute} from '../../routing/resolve-route.js'
import {normalizeAgentId} from '../../routing/normalize.js'
import type {MessageOrigin, SessionEntry, SessionStores} from '../../sessions/store.js'
import {requireAgent} from '../agent-home.js'
import type {AgentRequest, AgentRunner, RunOutcome, ThinkingLevel} from './agent-runner.js'
import type {DeliverySink} from './inbound.js'
import {resolveChannelTarget, targetOfEntry, targetOfSessionKey, type ChannelTarget, type TargetInput} from './delivery-target.js'

/** The `agent` params beyond `message`/`idempotencyKey` (plus `model`, ours: `agent --model`). */
export interface AgentRunParams {
  agentId?: string
  sessionKey?: string
  sessionId?: string
  to?: string
  channel?: string
  accountId?: string
  replyTo?: string
  replyChannel?: string
  replyAccountId?: string
  threadId?: string
  deliver?: boolean
  bestEffortDeliver?: boolean
  thinking?: string
  /** Run timeout in seconds. */
  timeout?: number
  attachments?: Array<{type?: string; mimeType?: string; fileName?: string; content: string}>
  label?: string
  extraSystemPrompt?: string
  model?: string
}

export interface PreparedRun {
  request: Omit<AgentRequest, 'message' | 'runId' | 'channel' | 'observer' | 'requesterConnId' | 'committed'> & {agentId: string; sessionKey: string}
  /** Where the final goes; null without `deliver` (or when best effort found no target). */
  delivery: {target: ChannelTarget; origin: MessageOrigin} | null
  /** Why a best-effort delivery has no target (reported as the run's `deliveryError`). */
  undeliverable?: string
  label?: string
  warnings: string[]
}

/** Images larger than this (decoded) are refused, like OpenClaw's gateway does. */
const MAX_IMAGE_BYTES = 5_000_000

function invalid(message: string, hint: string[]): AppError {
  return new AppError('USAGE', message, {hint})
}

/** The entry of `sessionKey` in `agentId`'s store, without creating the store's directory. */
async function entryOf(stores: SessionStores, agentId: string, sessionKey: string): Promise<SessionEntry | undefined> {
  const store = stores.forAgent(agentId)
  if (path.isAbsolute(store.dir) && !existsSync(store.dir)) return undefined
  return store.get(sessionKey)
}

type IdHit = {kind: 'current'; agentId: string; sessionKey: string} | {kind: 'archived'; agentId: string; sessionKey: string | null}

/** Where `sessionId` lives among `agentIds`' stores: the current id of a key, or an archived transcript. */
async function findSessionId(stores: SessionStores, agentIds: string[], sessionId: string): Promise<IdHit | undefined> {
  for (const agentId of agentIds) {
    const store = stores.forAgent(agentId)
    if (path.isAbsolute(store.dir) && !existsSync(store.dir)) continue
    const hit = (await store.list()).find(({entry}) => entry.sessionId === sessionId)
    if (hit !== undefined) return {kind: 'current', agentId, sessionKey: hit.sessionKey}
    const archived = (await store.listArchives()).find((archive) => archive.sessionId === sessionId)
    if (archived !== undefined) return {kind: 'archived', agentId, sessionKey: archived.sessionKey}
  }
  return undefined
}

/** The session whose current sessionId is `sessionId`; an archived id is refused, never revived. */
async function sessionOfId(stores: SessionStores, agentIds: string[], sessionId: string): Promise<{agentId: string; sessionKey: string}> {
  const hit = await findSessionId(stores, agentIds, sessionId)
  if (hit?.kind === 'current') return hit
  if (hit?.kind === 'archived') {
    const key = hit.sessionKey ?? '<key>'
    throw new AppError('SESSION_CHANGED', `session ${sessionId} is archived${hit.sessionKey === null ? '' : ` (session ${hit.sessionKey} has moved on)`}; an archived transcript is read-only`, {
      hint: [`Read it: openclaw sessions history ${key} --agent ${hit.agentId} --session-id ${sessionId}`, `Continue the session: openclaw agent --agent ${hit.agentId} --session-key ${key} --message "…"`],
      details: {sessionId, sessionKey: hit.sessionKey, agentId: hit.agentId},
    })
  }
  throw new AppError('SESSION_NOT_FOUND', `no session has id ${sessionId}`, {hint: ['List sessions and their ids: openclaw sessions list --all-agents --json'], details: {sessionId}})
}

function configuredAgentIds(config: Config): string[] {
  return config.agents.list.length === 0 ? [defaultAgentId(config)] : config.agents.list.map((agent) => normalizeAgentId(agent.id))
}

/** Base64 image attachments as user image parts (telegram photos become the same); other files are skipped with a warning. */
export function attachmentImages(attachments: AgentRunParams['attachments'], warnings: string[]): ImagePart[] {
  const images: ImagePart[] = []
  for (const [index, attachment] of (attachments ?? []).entries()) {
    const name = attachment.fileName ?? `#${index + 1}`
    const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(attachment.content)
    const mimeType = (attachment.mimeType ?? dataUrl?.[1] ?? '').toLowerCase()
    if (!mimeType.startsWith('image/') && attachment.type !== 'image') {
      warnings.push(`attachment ${name} skipped: only images reach the model (got ${mimeType || attachment.type || 'no type'})`)
      continue
    }
    const data = (dataUrl?.[2] ?? attachment.content).replaceAll(/\s+/g, '')
    const bytes = Buffer.from(data, 'base64').length
    if (data === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalid(`attachment ${name} is not base64 image data`, ['Send the image bytes base64-encoded in attachments[].content'])
    if (bytes > MAX_IMAGE_BYTES) throw invalid(`attachment ${name} is ${bytes} bytes; images up to ${MAX_IMAGE_BYTES} bytes are accepted`, ['Send a smaller image'])
    images.push({type: 'image', mimeType: mimeType.startsWith('image/') ? mimeType : 'image/png', data})
  }
  return images
}

export function thinkingLevel(value: string | undefined): ThinkingLevel | undefined {
  if (value === undefined) return undefined
  const level = value.trim().toLowerCase()
  if (!(THINKING_LEVELS as readonly string[]).includes(level)) throw invalid(`unknown thinking level "${value}" (levels: ${THINKING_LEVELS.join(', ')})`, ['openclaw agent --thinking low --message "…"'])
  return level as ThinkingLevel
}

/** Resolves the session, the delivery target and the per-run options of one `agent` request. */
export async function prepareAgentRun(ctx: {config: Config; stores: SessionStores}, params: AgentRunParams, runId: string): Promise<PreparedRun> {
  const {config, stores} = ctx
  const warnings: string[] = []
  const thinking = thinkingLevel(params.thinking)
  const images = attachmentImages(params.attachments, warnings)
  // `to` names the conversation (and so the session); replyTo/replyChannel/replyAccountId only redirect delivery.
  const conversation = params.to === undefined || params.to.trim() === '' ? undefined : resolveChannelTarget(config, {to: params.to, channel: params.channel, accountId: params.accountId, threadId: params.threadId})
  let agentId: string
  let sessionKey: string
  if (params.sessionKey !== undefined && params.sessionKey.trim() !== '') {
    // A full key names its agent (`agent:work:main`); a short one belongs to agentId or the default agent.
    agentId = requireAgent(config, params.agentId ?? agentIdOfSessionKey(params.sessionKey))
    sessionKey = canonicalSessionKey(params.sessionKey, agentId)
    const sessionId = params.sessionId?.trim()
    if (sessionId) ({agentId, sessionKey} = await keyAndId(stores, agentId, sessionKey, sessionId))
  } else if (params.sessionId !== undefined && params.sessionId.trim() !== '') {
    const agentIds = params.agentId === undefined ? configuredAgentIds(config) : [requireAgent(config, params.agentId)]
    ;({agentId, sessionKey} = await sessionOfId(stores, agentIds, params.sessionId.trim()))
  } else if (conversation?.ok === true) {
    const {target} = conversation
    const route = resolveRoute(config, {channel: target.channel, accountId: target.accountId, peer: target.peer, ...(target.parentPeer ? {parentPeer: target.parentPeer} : {})})
    agentId = params.agentId === undefined ? route.agentId : requireAgent(config, params.agentId)
    sessionKey = agentId === route.agentId ? route.sessionKey : buildSessionKey({agentId, channel: target.channel, accountId: target.accountId, peer: target.peer}, config.session)
  } else {
    agentId = requireAgent(config, params.agentId)
    sessionKey = mainSessionKey(agentId, config.session)
  }
  const plan = params.deliver === true ? await deliveryPlan(ctx, params, {agentId, sessionKey, runId, conversation: conversation?.ok === true ? conversation.target : undefined}) : null
  const delivery = plan !== null && 'target' in plan ? plan : null
  if (plan !== null && 'reason' in plan) warnings.push(`not delivered: ${plan.reason}`)
  // Without delivery an unusable `to` only failed to pick a session (OpenClaw's CLI sends phone numbers): say so, run in the session chosen.
  if (params.deliver !== true && conversation?.ok === false) warnings.push(`--to ignored: ${conversation.reason}`)
  const request = {
    agentId, sessionKey, ...(thinking === undefined ? {} : {thinking}), ...(images.length > 0 ? {images} : {}), ...(params.model === undefined ? {} : {model: params.model}),
    ...(params.timeout === undefined ? {} : {timeoutSeconds: params.timeout}), ...(params.extraSystemPrompt === undefined ? {} : {extraSystemPrompt: params.extraSystemPrompt}),
    ...(delivery === null ? {} : {origin: delivery.origin}),
  }
  return {request, delivery, ...(plan !== null && 'reason' in plan ? {undeliverable: plan.reason} : {}), ...(params.label === undefined ? {} : {label: params.label}), warnings}
}

/**
 * Both a key and an id (OpenClaw's CLI sends `--session-id X` as `sessionId: X` plus the key
 * `agent:<a>:explicit:X` it derived): the session whose current id is X when there is one (that
 * key, or the derived one standing in for it), else the key (a new session there on first use).
 */
async function keyAndId(stores: SessionStores, agentId: string, sessionKey: string, sessionId: string): Promise<{agentId: string; sessionKey: string}> {
  const hit = await findSessionId(stores, [agentId], sessionId)
  if (hit?.kind !== 'current' || hit.sessionKey === sessionKey) return {agentId, sessionKey}
  if (sessionKey === `agent:${agentId}:explicit:${sessionId.toLowerCase()}`) return hit
  throw new AppError('SESSION_CHANGED', `session ${sessionId} belongs to ${hit.sessionKey}, not ${sessionKey}`, {
    hint: [`Drop one of them: openclaw agent --session-id ${sessionId} --message "…"`],
    details: {reason: 'session-changed', sessionId, sessionKey: hit.sessionKey},
  })
}

function targetError(reason: string): AppError {
  return new AppError('DELIVERY_TARGET_INVALID', `cannot deliver the reply: ${reason}`, {
    hint: ['Name the chat: openclaw agent --channel telegram --to <chatId> --deliver --message "…"', 'See the configured accounts: openclaw channels list'],
  })
}

/** The delivery target and origin, or (best effort only) why there is none; an unusable target otherwise throws. */
async function deliveryPlan(ctx: {config: Config; stores: SessionStores}, params: AgentRunParams, where: {agentId: string; sessionKey: string; runId: string; conversation?: ChannelTarget}): Promise<NonNullable<PreparedRun['delivery']> | {reason: string}> {
  let input: TargetInput | undefined
  if (params.replyTo !== undefined || params.replyChannel !== undefined || params.replyAccountId !== undefined) {
    const base = where.conversation
    const to = params.replyTo ?? (base === undefined ? undefined : `${base.peer.kind}:${base.chatId}`)
    if (to !== undefined) input = {to, channel: params.replyChannel ?? base?.channel ?? params.channel, accountId: params.replyAccountId ?? base?.accountId ?? params.accountId, threadId: params.replyTo === undefined ? base?.threadId : params.threadId}
  } else if (params.to !== undefined && params.to.trim() !== '') {
    input = {to: params.to, channel: params.channel, accountId: params.accountId, threadId: params.threadId}
  } else {
    input = targetOfEntry(await entryOf(ctx.stores, where.agentId, where.sessionKey)) ?? targetOfSessionKey(where.sessionKey)
    if (input !== undefined && params.channel !== undefined) input = {...input, channel: params.channel}
    if (input !== undefined && params.accountId !== undefined) input = {...input, accountId: params.accountId}
    if (input !== undefined && params.threadId !== undefined && params.threadId.trim() !== '') input = {...input, threadId: params.threadId}
  }
  const resolved = input === undefined ? {ok: false as const, reason: `no target: give --to, or use a session that talked to a chat (${where.sessionKey} has no last route)`} : resolveChannelTarget(ctx.config, input)
  if (!resolved.ok) {
    if (params.bestEffortDeliver === true) return {reason: resolved.reason}
    throw targetError(resolved.reason)
  }
  const {target} = resolved
  const origin: MessageOrigin = {channel: target.channel, accountId: target.accountId, peer: deliveryPeer(target), dedupeKeys: [`run:${where.runId}`], delivery: 'channel'}
  return {target, origin}
}

/**
 * The peer a delivery origin names: a thread outside a forum group (a private chat's topic) rides
 * in the id as `<chat>:topic:<n>`, as a forum topic's does, so the channel sends into that thread;
 * the session key (routing's peer) stays the chat's.
 */
function deliveryPeer(target: ChannelTarget): ChannelTarget['peer'] {
  if (target.threadId === undefined || target.peer.id.includes(':topic:')) return target.peer
  return {kind: target.peer.kind, id: `${target.chatId}:topic:${target.threadId}`}
}

export interface DeliveryReport {
  delivered: boolean
  /** Set when a requested delivery of a non-empty reply was not made: what went wrong, for the user. */
  deliveryError?: string
  delivery?: {channel: string; accountId: string; to: string; threadId?: string; state: string}
}

/**
 * After the run: its final text (partial text of a timed-out run too, as a channel reply would)
 * through the target's channel, once; the session remembers the target as its last route.
 */
export async function deliverPrepared(runner: AgentRunner, prepared: PreparedRun, outcome: RunOutcome, sink?: DeliverySink): Promise<DeliveryReport> {
  if (prepared.delivery === null) return prepared.undeliverable === undefined || outcome.text === '' ? {delivered: false} : {delivered: false, deliveryError: `the reply was not delivered: ${prepared.undeliverable}`}
  const {target, origin} = prepared.delivery
  let thrown: unknown
  const state = outcome.text === '' ? 'none' : await runner.deliverReply(outcome, origin, sink).catch((error: unknown) => ((thrown = error), 'failed' as const))
  if (state === 'delivered') {
    const lastRoute = {lastChannel: target.channel, lastTo: target.chatId, lastAccountId: target.accountId, ...(target.threadId ? {lastThreadId: target.threadId} : {})}
    // Lazy, like the run's own bookkeeping (§5.2 lets the index lag; `runner.settled()` flushes it before a CLI exits).
    await runner.context.stores.forAgent(outcome.agentId).patch(outcome.sessionKey, lastRoute, {lazy: true}).catch(() => undefined)
  }
  const delivered = state === 'delivered'
  const why = thrown === undefined ? (state === 'unavailable' ? `account ${target.accountId} is not running` : state) : thrown instanceof Error ? thrown.message : String(thrown)
  const error = delivered || state === 'none' ? {} : {deliveryError: `the reply was not delivered to ${target.channel} ${target.chatId}${target.threadId ? ` thread ${target.threadId}` : ''} (${why})`}
  return {delivered, ...error, delivery: {channel: target.channel, accountId: target.accountId, to: target.chatId, ...(target.threadId ? {threadId: target.threadId} : {}), state}}
}

/** `label` (protocol.md §6.5) on the admitted session. */
export async function labelSession(runner: AgentRunner, prepared: PreparedRun): Promise<void> {
  if (prepared.label === undefined) return
  await runner.context.stores.forAgent(prepared.request.agentId).patch(prepared.request.sessionKey, {label: prepared.label})
}
