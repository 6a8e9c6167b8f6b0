/**
 * `resolveRoute(config, input) → Route` (runtime.md §3): bindings precedence, the default agent and
 * the session key. Pure: no I/O, no clock, no logging (the caller logs the route at debug).
 */
import type {Peer} from './envelope.js'
import {normalizeAccountId, normalizeAgentId, normalizeChannel, normalizePeerKind} from './normalize.js'
import {buildSessionKey, mainSessionKey, type SessionKeySettings} from './session-key.js'

export type MatchedBy = 'peer' | 'peer.parent' | 'guild' | 'team' | 'account' | 'channel' | 'default'

/** The config keys routing reads; the frozen `Config` satisfies it. */
export interface RoutingConfig {
  agents: {list: ReadonlyArray<{id: string; default?: boolean}>}
  bindings: ReadonlyArray<{
    agentId: string
    match: {channel: string; accountId?: string; peer?: {kind: string; id: string}; guildId?: string; teamId?: string}
  }>
  session: SessionKeySettings
  channels?: Readonly<Record<string, ChannelRoutingView | undefined>>
}

type TopicView = Readonly<Record<string, {agentId?: string} | undefined>>
type GroupsView = Readonly<Record<string, {topics?: TopicView} | undefined>>
/** The channel keys routing reads: the default account and per-topic agents (Telegram). */
interface ChannelRoutingView {
  defaultAccount?: string
  groups?: GroupsView
  accounts?: Readonly<Record<string, {groups?: GroupsView} | undefined>>
}

/** The parts of an `InboundEnvelope` that routing reads. */
export interface RouteInput {
  channel: string
  accountId?: string
  peer: Peer | {kind: string; id: string}
  parentPeer?: Peer | {kind: string; id: string}
  guildId?: string
  teamId?: string
}

export interface Route {
  agentId: string
  channel: string
  accountId: string
  sessionKey: string
  mainSessionKey: string
  matchedBy: MatchedBy
  /** Index into `bindings[]` of the binding that won; absent for topic agents and the default. */
  bindingIndex?: number
  lastRoutePolicy: 'main' | 'session'
}

/** The default agent: the `agents.list` entry marked `default`, else the first, else `main`. */
export function defaultAgentId(config: Pick<RoutingConfig, 'agents'>): string {
  const list = config.agents.list
  const marked = list.find((agent) => agent.default === true) ?? list[0]
  return normalizeAgentId(marked?.id)
}

/** The channel's default account: `channels.<ch>.defaultAccount`, else `default`. */
export function defaultAccountId(config: Pick<RoutingConfig, 'channels'>, channel: string): string {
  return normalizeAccountId(config.channels?.[channel]?.defaultAccount)
}

interface Candidate {
  agentId: string
  matchedBy: MatchedBy
  bindingIndex?: number
}

const TIER_ORDER: readonly MatchedBy[] = ['peer', 'peer.parent', 'guild', 'team', 'account', 'channel']

export function resolveRoute(config: RoutingConfig, input: RouteInput): Route {
  const channel = normalizeChannel(input.channel)
  const accountId = normalizeAccountId(input.accountId)
  const peer = normPeer(input.peer)
  const parent = input.parentPeer === undefined ? undefined : normPeer(input.parentPeer)
  const isDefaultAccount = accountId === defaultAccountId(config, channel)

  const winner = topicAgent(config, channel, accountId, peer) ?? bestBinding(config, {channel, accountId, peer, parent, isDefaultAccount, guildId: input.guildId, teamId: input.teamId})
  const agentId = winner?.agentId ?? defaultAgentId(config)
  const sessionKey = buildSessionKey({agentId, channel, accountId, peer}, config.session)
  const main = mainSessionKey(agentId, config.session)
  return {
    agentId,
    channel,
    accountId,
    sessionKey,
    mainSessionKey: main,
    matchedBy: winner?.matchedBy ?? 'default',
    ...(winner?.bindingIndex === undefined ? {} : {bindingIndex: winner.bindingIndex}),
    lastRoutePolicy: sessionKey === main ? 'main' : 'session',
  }
}

function normPeer(peer: {kind: string; id: string}): Peer {
  return {kind: normalizePeerKind(peer.kind), id: peer.id.trim()}
}

/** `channels.<ch>[.accounts.<acc>].groups.<chat>.topics.<n|*>.agentId` acts as a tier-1 peer binding. */
function topicAgent(config: RoutingConfig, channel: string, accountId: string, peer: Peer): Candidate | undefined {
  const match = /^(.+):topic:([^:]+)$/.exec(peer.id)
  if (peer.kind !== 'group' || match === null) return undefined
  const [, chat, topic] = match
  const view = config.channels?.[channel]
  const scopes = [view?.accounts?.[accountId]?.groups, view?.groups]
  for (const groups of scopes) {
    const topics = groups?.[chat]?.topics
    const agentId = topics?.[topic]?.agentId ?? topics?.['*']?.agentId
    if (agentId !== undefined) return {agentId: normalizeAgentId(agentId), matchedBy: 'peer'}
  }
  return undefined
}

interface MatchFacts {
  channel: string
  accountId: string
  peer: Peer
  parent?: Peer
  isDefaultAccount: boolean
  guildId?: string
  teamId?: string
}

function bestBinding(config: RoutingConfig, facts: MatchFacts): Candidate | undefined {
  let best: Candidate | undefined
  config.bindings.forEach((binding, index) => {
    const tier = bindingTier(binding.match, facts)
    if (tier === undefined) return
    if (best === undefined || TIER_ORDER.indexOf(tier) < TIER_ORDER.indexOf(best.matchedBy)) {
      best = {agentId: normalizeAgentId(binding.agentId), matchedBy: tier, bindingIndex: index}
    }
  })
  return best
}

/** The tier a binding qualifies for, or undefined when any present constraint fails (§3.2, §3.3). */
function bindingTier(match: RoutingConfig['bindings'][number]['match'], facts: MatchFacts): MatchedBy | undefined {
  if (normalizeChannel(match.channel) !== facts.channel) return undefined
  const account = match.accountId?.trim()
  if (account === undefined || account === '') {
    if (!facts.isDefaultAccount) return undefined
  } else if (account !== '*' && normalizeAccountId(account) !== facts.accountId) return undefined
  if (match.guildId !== undefined && match.guildId !== facts.guildId) return undefined
  if (match.teamId !== undefined && match.teamId !== facts.teamId) return undefined
  if (match.peer !== undefined) {
    const want = normPeer(match.peer)
    if (samePeer(want, facts.peer)) return 'peer'
    if (facts.parent !== undefined && samePeer(want, facts.parent)) return 'peer.parent'
    return undefined
  }
  if (match.guildId !== undefined) return 'guild'
  if (match.teamId !== undefined) return 'team'
  return account === '*' ? 'channel' : 'account'
}

function samePeer(a: Peer, b: Peer): boolean {
  return a.kind === b.kind && a.id.toLowerCase() === b.id.toLowerCase()
}
