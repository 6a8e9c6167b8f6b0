/**
 * `sessions.list/reset/delete/patch` and `chat.history` (protocol.md §6.2, runtime.md §6.4): a
 * factory over the stores and config getter, so the agents subsystem registers it with its own
 * dependencies. Queries are the same functions the CLI uses embedded.
 */
import {z} from 'zod'

import type {AgentPaths} from '../../agents/registry.js'
import type {Config} from '../../config/schema/index.js'
import {deleteSessionByKey, listSessions, patchSessionByKey, resetSessionByKey, resolveSessionRef, toRow, type SessionsDeps} from '../../sessions/session-queries.js'
import type {MessageLine, SessionStores} from '../../sessions/store.js'
import {defineMethod, type MethodDefinition} from '../server/registry.js'

/** `chat.history` answers at most this many bytes of messages (oldest dropped first). */
export const CHAT_HISTORY_MAX_BYTES = 4 * 1024 * 1024

export interface SessionsMethodsDeps {
  /** The running config snapshot (hot reloads replace it). */
  config(): Readonly<Config>
  paths: AgentPaths
  stores: SessionStores
  /** runtime.md §6.3 step 1: abort the session's active run and drop its queue before a reset/delete. */
  beforeReset?(agentId: string, sessionKey: string): Promise<void>
  /** `sessions.changed` (protocol.md §7). */
  publish?(event: 'sessions.changed', payload: Record<string, unknown>): void
  /** Register `chat.history` here (default true); false when the run loop's group serves it. */
  includeChatHistory?: boolean
}

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional()

export function sessionsMethods(deps: SessionsMethodsDeps): MethodDefinition[] {
  const q = (): SessionsDeps => ({config: deps.config(), paths: deps.paths, stores: deps.stores})
  const changed = (agentId: string, sessionKey: string, reason: string, session?: unknown) =>
    deps.publish?.('sessions.changed', {sessionKey, agentId, reason, ...(session === undefined ? {} : {session}), ts: Date.now()})

  const methods: MethodDefinition[] = [
    defineMethod({
      name: 'sessions.list',
      scope: 'operator.read',
      params: z.object({limit: z.int().min(1).max(1000).optional(), offset: z.int().min(0).optional(), activeMinutes: z.int().min(1).optional(), agentId: z.string().optional(), search: z.string().optional(), includeGlobal: z.boolean().optional(), includeUnknown: z.boolean().optional(), archived: z.boolean().optional()}),
      handler: async (params) => {
        const result = await listSessions(q(), {agentId: params.agentId, allAgents: params.agentId === undefined, limit: params.limit ?? 100, offset: params.offset, activeMinutes: params.activeMinutes, search: params.search, archived: params.archived})
        const sessions = result.sessions.filter((row) => (params.includeGlobal !== false || row.kind !== 'global') && (params.includeUnknown === true || row.kind !== 'unknown'))
        return {ts: Date.now(), path: result.stores[0]?.path ?? null, count: sessions.length, totalCount: result.totalCount, offset: result.offset, nextOffset: result.nextOffset, hasMore: result.hasMore, defaults: {model: null, contextTokens: null}, sessions}
      },
    }),
    defineMethod({
      name: 'sessions.reset',
      scope: 'operator.admin',
      params: z.strictObject({key: z.string().min(1), agentId: z.string().optional(), reason: z.enum(['new', 'reset']).optional(), expectedSessionId: z.string().optional()}),
      handler: async (params) => {
        const ref = resolveSessionRef(q(), params.key, params.agentId)
        await deps.beforeReset?.(ref.agent.id, ref.sessionKey)
        const result = await resetSessionByKey(q(), {key: ref.sessionKey, agentId: ref.agent.id, reason: params.reason ?? 'reset', expectedSessionId: params.expectedSessionId})
        changed(ref.agent.id, ref.sessionKey, 'reset', toRow(ref.agent, ref.sessionKey, result.entry))
        return {ok: true, key: result.key, entry: result.entry, previousSessionId: result.previousSessionId, archivedTranscript: result.archivedTranscript}
      },
    }),
    defineMethod({
      name: 'sessions.delete',
      scope: 'operator.admin',
      params: z.strictObject({key: z.string().min(1), agentId: z.string().optional(), deleteTranscript: z.boolean().optional(), expectedSessionId: z.string().optional()}),
      handler: async (params) => {
        const ref = resolveSessionRef(q(), params.key, params.agentId)
        await deps.beforeReset?.(ref.agent.id, ref.sessionKey)
        const result = await deleteSessionByKey(q(), {key: ref.sessionKey, agentId: ref.agent.id, deleteTranscript: params.deleteTranscript, expectedSessionId: params.expectedSessionId})
        changed(ref.agent.id, ref.sessionKey, 'deleted')
        return {ok: true, key: result.key, deleted: true, archived: result.archived}
      },
    }),
    defineMethod({
      name: 'sessions.patch',
      scope: 'operator.write',
      params: z.strictObject({
        key: z.string().min(1),
        agentId: z.string().optional(),
        label: nullable(z.string()),
        thinkingLevel: nullable(z.string()),
        verboseLevel: nullable(z.string()),
        model: nullable(z.string().min(1)),
        sendPolicy: nullable(z.enum(['allow', 'deny'])),
        groupActivation: nullable(z.enum(['mention', 'always'])),
        queueMode: nullable(z.enum(['collect', 'followup', 'steer', 'interrupt'])),
      }),
      handler: async ({key, agentId, ...patch}) => {
        const result = await patchSessionByKey(q(), {key, agentId, patch})
        changed(result.agentId, result.key, 'patched')
        return {ok: true, key: result.key, entry: result.entry}
      },
    }),
  ]
  if (deps.includeChatHistory !== false) methods.push(chatHistoryMethod(q))
  return methods
}

/** `chat.history`: transcript messages, newest last; `sessionId` reads an archived transcript of the key. */
function chatHistoryMethod(q: () => SessionsDeps): MethodDefinition {
  return defineMethod({
    name: 'chat.history',
    scope: 'operator.read',
    params: z.object({sessionKey: z.string().min(1), agentId: z.string().optional(), limit: z.int().min(1).max(1000).optional(), sessionId: z.string().optional()}),
    handler: async (params) => {
      const {store, sessionKey} = resolveSessionRef(q(), params.sessionKey, params.agentId)
      const entry = await store.get(sessionKey)
      const transcript = params.sessionId === undefined ? await store.readTranscript({sessionKey}) : await store.readTranscript({sessionKey, sessionId: params.sessionId})
      const all = transcript.lines.filter((line): line is MessageLine => line.type === 'message' && typeof (line as MessageLine).message === 'object').map((line) => line.message)
      let messages = all.slice(-(params.limit ?? 200))
      let bytes = Buffer.byteLength(JSON.stringify(messages))
      let truncated = messages.length < all.length
      while (bytes > CHAT_HISTORY_MAX_BYTES && messages.length > 0) {
        bytes -= Buffer.byteLength(JSON.stringify(messages[0])) + 1
        messages = messages.slice(1)
        truncated = true
      }
      return {sessionKey, sessionId: transcript.header?.id ?? params.sessionId ?? entry?.sessionId ?? null, messages, ...(entry?.thinkingLevel === undefined ? {} : {thinkingLevel: entry.thinkingLevel}), ...(truncated ? {truncated: true} : {})}
    },
  })
}
