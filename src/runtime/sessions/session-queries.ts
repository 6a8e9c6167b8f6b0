/**
 * Session operations shared by the CLI (embedded) and the gateway method groups (operations.md
 * §2.4, protocol.md §6.2): list rows, history, reset, delete, patch, across agents.
 */
import type {Config} from '../config/schema/index.js'
import {resolveAgent, resolveAgents, type AgentPaths, type ResolvedAgent} from '../agents/registry.js'
import {agentIdOfSessionKey, canonicalSessionKey} from '../routing/session-key.js'
import {createFileSessionStore, sessionStoresOf} from './open-store.js'
import type {ArchiveInfo, CompactionLine, MessageLine, SessionEntry, SessionPatch, SessionStore, SessionStores} from './store.js'

export interface SessionsDeps {
  config: Readonly<Config>
  paths: AgentPaths
  stores: SessionStores
}

/** File stores for the configured agents, one per agent dir. */
export function fileSessionStores(config: Readonly<Config>, paths: AgentPaths): SessionStores {
  return sessionStoresOf((agentId) => {
    const agent = resolveAgents(config, paths).find((a) => a.id === agentId) ?? resolveAgent(config, paths, agentId)
    return createFileSessionStore(agent.sessionsDir, {agentId, cwd: agent.workspace})
  })
}

export interface SessionRow {
  agentId: string
  key: string
  sessionId: string
  kind: 'direct' | 'group' | 'global' | 'unknown'
  updatedAt: number
  chatType?: string
  channel?: string
  displayName?: string
  label?: string
  model: string | null
  inputTokens?: number
  outputTokens?: number
  totalTokens?: number
  contextTokens?: number
  thinkingLevel?: string
  archived?: Array<{sessionId: string; archivedAt: number | null; reason: string; file: string}>
}

export interface ListSessionsOptions {
  agentId?: string
  allAgents?: boolean
  activeMinutes?: number
  limit?: number
  offset?: number
  search?: string
  archived?: boolean
  now?: number
}

export async function listSessions(deps: SessionsDeps, options: ListSessionsOptions = {}) {
  const agents = options.allAgents === true ? resolveAgents(deps.config, deps.paths) : [resolveAgent(deps.config, deps.paths, options.agentId)]
  const now = options.now ?? Date.now()
  const rows: SessionRow[] = []
  for (const agent of agents) {
    const store = deps.stores.forAgent(agent.id)
    const archives = options.archived === true ? await store.listArchives() : []
    for (const {sessionKey, entry} of await store.list()) rows.push(toRow(agent, sessionKey, entry, archives))
  }
  const search = options.search?.toLowerCase()
  const filtered = rows
    .filter((row) => options.activeMinutes === undefined || now - row.updatedAt <= options.activeMinutes * 60_000)
    .filter((row) => search === undefined || [row.key, row.label, row.displayName].some((v) => v?.toLowerCase().includes(search)))
    .sort((a, b) => b.updatedAt - a.updatedAt)
  const offset = options.offset ?? 0
  const limit = options.limit ?? 50
  const sessions = filtered.slice(offset, offset + limit)
  return {
    stores: agents.map((agent) => ({agentId: agent.id, path: deps.stores.forAgent(agent.id).dir})),
    count: sessions.length,
    totalCount: filtered.length,
    offset,
    nextOffset: offset + limit < filtered.length ? offset + limit : null,
    hasMore: offset + limit < filtered.length,
    sessions,
  }
}

export function toRow(agent: Pick<ResolvedAgent, 'id' | 'model'>, key: string, entry: SessionEntry, archives: readonly ArchiveInfo[] = []): SessionRow {
  const kind = key === 'global' ? 'global' : entry.chatType === 'group' || entry.chatType === 'channel' || /:(group|channel):/.test(key) ? 'group' : key.startsWith('agent:') ? 'direct' : 'unknown'
  const mine = archives.filter((a) => a.sessionKey === key)
  const optional = {chatType: entry.chatType, channel: entry.channel, displayName: entry.displayName, label: entry.label, inputTokens: entry.inputTokens, outputTokens: entry.outputTokens, totalTokens: entry.totalTokens, contextTokens: entry.contextTokens, thinkingLevel: entry.thinkingLevel}
  return {
    agentId: agent.id,
    key,
    sessionId: entry.sessionId,
    kind,
    updatedAt: entry.updatedAt ?? 0,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    model: entry.modelOverride ?? agent.model,
    ...(archives.length === 0 && mine.length === 0 ? {} : {archived: mine.map((a) => ({sessionId: a.sessionId, archivedAt: a.endedAt, reason: a.reason, file: a.file}))}),
  }
}

/** The agent and canonical key of a caller-given key (`main`, `telegram:direct:1`, `agent:work:main`). */
export function resolveSessionRef(deps: SessionsDeps, key: string, agentId?: string): {agent: ResolvedAgent; store: SessionStore; sessionKey: string} {
  const fromKey = agentIdOfSessionKey(key)
  const agent = resolveAgent(deps.config, deps.paths, fromKey ?? agentId)
  return {agent, store: deps.stores.forAgent(agent.id), sessionKey: canonicalSessionKey(key, agent.id)}
}

export interface HistoryMessage {
  role: string
  text: string
  timestamp: number
  toolCalls?: Array<{name: string; arguments: unknown}>
  stopReason?: string
  errorMessage?: string
  /** `role: "compaction"`: the summary is `text`; the estimated context before and after. */
  tokensBefore?: number
  tokensAfter?: number
}

export async function sessionHistory(deps: SessionsDeps, input: {key: string; agentId?: string; sessionId?: string; limit?: number}) {
  const {agent, store, sessionKey} = resolveSessionRef(deps, input.key, input.agentId)
  const transcript = input.sessionId === undefined ? await store.readTranscript({sessionKey}) : await store.readTranscript({sessionKey, sessionId: input.sessionId})
  // Compactions are listed where they happened, so a reader sees what the model was given instead of the older lines.
  const messages = transcript.lines.flatMap((line) => (line.type === 'message' && typeof (line as MessageLine).message === 'object' ? [toHistoryMessage(line as MessageLine)] : line.type === 'compaction' ? [toHistoryCompaction(line as CompactionLine)] : []))
  const limit = input.limit ?? 20
  return {key: sessionKey, agentId: agent.id, sessionId: transcript.header?.id ?? input.sessionId ?? null, messages: messages.slice(-limit), hasMore: messages.length > limit, warnings: transcript.warnings}
}

function toHistoryCompaction(line: CompactionLine): HistoryMessage {
  return {role: 'compaction', text: line.summary, timestamp: Date.parse(line.timestamp), tokensBefore: line.tokensBefore, ...(line.tokensAfter === undefined ? {} : {tokensAfter: line.tokensAfter})}
}

function toHistoryMessage(line: MessageLine): HistoryMessage {
  const message = line.message
  const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : part.type === 'image' ? ['<image>'] : [])).join('\n')
  const out: HistoryMessage = {role: message.role, text, timestamp: 'timestamp' in message && typeof message.timestamp === 'number' ? message.timestamp : Date.parse(line.timestamp)}
  if (message.role === 'assistant') {
    const calls = message.content.flatMap((part) => (part.type === 'toolCall' ? [{name: part.name, arguments: part.arguments}] : []))
    if (calls.length > 0) out.toolCalls = calls
    if (message.stopReason === 'error' || message.stopReason === 'aborted') out.stopReason = message.stopReason
    if (message.errorMessage !== undefined) out.errorMessage = message.errorMessage
  }
  return out
}

export async function resetSessionByKey(deps: SessionsDeps, input: {key: string; agentId?: string; reason?: 'new' | 'reset' | 'rpc'; expectedSessionId?: string}) {
  const {agent, store, sessionKey} = resolveSessionRef(deps, input.key, input.agentId)
  const result = await store.reset(sessionKey, {reason: input.reason ?? 'reset', ...(input.expectedSessionId === undefined ? {} : {expectedSessionId: input.expectedSessionId})})
  return {key: sessionKey, agentId: agent.id, previousSessionId: result.previousSessionId, sessionId: result.sessionId, archivedTranscript: result.archivedFile, entry: result.entry}
}

export async function deleteSessionByKey(deps: SessionsDeps, input: {key: string; agentId?: string; deleteTranscript?: boolean; expectedSessionId?: string}) {
  const {agent, store, sessionKey} = resolveSessionRef(deps, input.key, input.agentId)
  if (input.expectedSessionId !== undefined) await store.patch(sessionKey, {}, {expectedSessionId: input.expectedSessionId})
  const result = await store.delete(sessionKey, {deleteTranscript: input.deleteTranscript === true})
  return {key: sessionKey, agentId: agent.id, deleted: true, sessionId: result.sessionId, archived: result.archivedFile === null ? [] : [result.archivedFile]}
}

/** `sessions.patch` fields; `null` clears. `model` sets the user override. */
export interface SessionPatchInput {
  label?: string | null
  thinkingLevel?: string | null
  verboseLevel?: string | null
  model?: string | null
  sendPolicy?: 'allow' | 'deny' | null
  groupActivation?: 'mention' | 'always' | null
  queueMode?: 'collect' | 'followup' | 'steer' | 'interrupt' | null
}

export async function patchSessionByKey(deps: SessionsDeps, input: {key: string; agentId?: string; patch: SessionPatchInput}) {
  const {agent, store, sessionKey} = resolveSessionRef(deps, input.key, input.agentId)
  const patch: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(input.patch)) {
    if (value === undefined) continue
    if (field === 'model') {
      const slash = typeof value === 'string' ? value.indexOf('/') : -1
      Object.assign(patch, value === null ? {modelOverride: undefined, providerOverride: undefined, modelOverrideSource: undefined} : {modelOverride: value, providerOverride: slash > 0 ? (value as string).slice(0, slash) : undefined, modelOverrideSource: 'user'})
    } else patch[field] = value === null ? undefined : value
  }
  const entry = await store.patch(sessionKey, patch as SessionPatch)
  return {key: sessionKey, agentId: agent.id, entry}
}
