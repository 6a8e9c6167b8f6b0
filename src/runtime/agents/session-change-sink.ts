/**
 * A run-event sink that also announces `sessions.changed` (protocol.md §7) when a run ends: the
 * run wrote a transcript turn and updated the session's index entry (tokens, model, updatedAt),
 * so a client listing sessions refreshes without polling. Reason `updated`; `sessions.*` methods
 * announce their own patched/reset/deleted.
 */
import type {Config} from '../config/schema/index.js'
import type {EventBus} from '../gateway/lifecycle/subsystem.js'
import {toRow} from '../sessions/session-queries.js'
import type {SessionStores} from '../sessions/store.js'
import {resolveAgent, type AgentPaths} from './registry.js'

interface LifecycleEvent {
  stream?: string
  data?: {phase?: string}
  sessionKey?: string
  agentId?: string
}

export function withSessionChanges(bus: EventBus, deps: {config(): Readonly<Config>; paths: AgentPaths; stores: SessionStores}): EventBus {
  const announce = async (agentId: string, sessionKey: string) => {
    const entry = await deps.stores.forAgent(agentId).get(sessionKey)
    if (entry === undefined) return
    const session = toRow(resolveAgent(deps.config(), deps.paths, agentId), sessionKey, entry)
    bus.publish('sessions.changed', {sessionKey, agentId, reason: 'updated', session, ts: Date.now()})
  }
  return {
    ...bus,
    publish(event, payload, filter) {
      bus.publish(event, payload, filter)
      const e = payload as LifecycleEvent
      const phase = e.data?.phase
      if (event !== 'agent' || e.stream !== 'lifecycle' || (phase !== 'end' && phase !== 'error')) return
      if (e.agentId === undefined || e.sessionKey === undefined) return
      // The runner patched the index entry before emitting the end: the row read now is the final one.
      void announce(e.agentId, e.sessionKey).catch(() => undefined)
    },
  }
}
