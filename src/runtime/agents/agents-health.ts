/**
 * The agents/sessions part of the gateway's HealthSnapshot (protocol.md §6.2), from the config's
 * agents and the runner's own session stores: per agent its store path, session count and five
 * most recent sessions; the top-level `sessions` sums them (path: the default agent's store).
 * Upstream's shape is kept, so `status` (which derives from the snapshot) reads it unchanged.
 */
import type {Config} from '../config/schema/index.js'
import type {AgentHealth, HealthSnapshot} from '../gateway/protocol/snapshots.js'
import {sessionStorePath} from '../sessions/paths.js'
import {summarizeSessions} from '../sessions/session-summary.js'
import type {SessionStores} from '../sessions/store.js'
import {resolveAgents, type AgentPaths} from './registry.js'

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
  const rowsPerAgent = await Promise.all(agents.map(async (agent) => {
    const rows = await stores.forAgent(agent.id).list()
    return {agentId: agent.id, count: rows.length, rows: rows.map(({sessionKey, entry}) => ({key: sessionKey, updatedAt: entry.updatedAt}))}
  }))
  const summary = summarizeSessions(rowsPerAgent)
  const withAge = (row: {key: string; updatedAt: number}) => ({key: row.key, updatedAt: row.updatedAt, age: Math.max(0, now - row.updatedAt)})
  const parts = agents.map((agent, index): AgentHealth => {
    const {count, recent} = summary.agents[index]
    const every = config.agents.list.find((a) => a.id === agent.id)?.heartbeat?.every ?? config.agents.defaults.heartbeat.every ?? '30m'
    // No heartbeat runner exists in this build: report the configured interval, never "enabled".
    return {
      agentId: agent.id,
      ...(agent.name === null ? {} : {name: agent.name}),
      isDefault: agent.isDefault,
      heartbeat: {enabled: false, every, everyMs: durationMs(every)},
      sessions: {path: sessionStorePath(paths, agent.id, config.session.store), count: count ?? 0, recent: recent.map(withAge)},
    }
  })
  const defaultAgent = parts.find((part) => part.isDefault) ?? parts[0]
  return {
    defaultAgentId: defaultAgent?.agentId ?? 'main',
    heartbeatSeconds: 0,
    agents: parts,
    sessions: {
      path: defaultAgent?.sessions.path ?? '',
      count: summary.count,
      recent: summary.recent.map(withAge),
    },
  }
}
