/**
 * The agents/sessions part of the gateway's HealthSnapshot (protocol.md §6.2), from the config's
 * agents and the runner's own session stores: per agent its store path, session count and five
 * most recent sessions; the top-level `sessions` sums them (path: the default agent's store).
 * Upstream's shape is kept, so `status` (which derives from the snapshot) reads it unchanged.
 */
import type {Config} from '../config/schema/index.js'
import type {AgentHealth, HealthSnapshot} from '../gateway/protocol/snapshots.js'
import {sessionStorePath} from '../sessions/paths.js'
import type {SessionStores} from '../sessions/store.js'
import {resolveAgents, type AgentPaths} from './registry.js'

/** Sessions listed per agent and in the top-level `recent`. */
export const HEALTH_RECENT_SESSIONS = 5

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** `30m` → 1_800_000; null for anything that is not `<n>ms|s|m|h|d`. */
export function durationMs(value: string | undefined): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value ?? '')
  return match === null ? null : Number(match[1]) * UNIT_MS[match[2]]
}

type AgentsHealthPart = Pick<HealthSnapshot, 'defaultAgentId' | 'agents' | 'sessions' | 'heartbeatSeconds'>

export async function agentsHealth(deps: {config: Readonly<Config>; paths: AgentPaths; stores: SessionStores; now: number}): Promise<AgentsHealthPart> {
  const {config, paths, stores, now} = deps
  const agents = resolveAgents(config, paths)
  const all: Array<{key: string; updatedAt: number; age: number}> = []
  const parts = await Promise.all(agents.map(async (agent): Promise<AgentHealth> => {
    const rows = await stores.forAgent(agent.id).list()
    const recent = rows.slice(0, HEALTH_RECENT_SESSIONS).map(({sessionKey, entry}) => ({key: sessionKey, updatedAt: entry.updatedAt, age: Math.max(0, now - entry.updatedAt)}))
    all.push(...recent)
    const every = config.agents.list.find((a) => a.id === agent.id)?.heartbeat?.every ?? config.agents.defaults.heartbeat.every ?? '30m'
    // No heartbeat runner exists in this build: report the configured interval, never "enabled".
    return {
      agentId: agent.id,
      ...(agent.name === null ? {} : {name: agent.name}),
      isDefault: agent.isDefault,
      heartbeat: {enabled: false, every, everyMs: durationMs(every)},
      sessions: {path: sessionStorePath(paths, agent.id, config.session.store), count: rows.length, recent},
    }
  }))
  const defaultAgent = parts.find((part) => part.isDefault) ?? parts[0]
  return {
    defaultAgentId: defaultAgent?.agentId ?? 'main',
    heartbeatSeconds: 0,
    agents: parts,
    sessions: {
      path: defaultAgent?.sessions.path ?? '',
      count: parts.reduce((sum, part) => sum + part.sessions.count, 0),
      recent: all.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, HEALTH_RECENT_SESSIONS),
    },
  }
}
