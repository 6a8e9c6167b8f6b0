/**
 * The default-agent rule (config.md §7.2), in one place: the entry of `agents.list` marked
 * `default`, else the first listed, else the implicit `main`.
 */
import {isPlainObject} from '../config/deep-merge.js'
import type {Config} from '../config/schema/index.js'

/** The implicit agent when `agents.list` is empty (config.md §7.2). */
export const IMPLICIT_AGENT_ID = 'main'

export interface AgentEntry {
  id: string
  name: string | null
  isDefault: boolean
}

/**
 * `agents.list` (or, with an invalid config, its authored entries that have a string id), first
 * occurrence of an id wins, plus the resolved default id. Empty list = the implicit `main`.
 */
export function configuredAgents(config: Readonly<Config> | null, authored?: Record<string, unknown> | null): {defaultId: string; list: AgentEntry[]} {
  const raw: unknown[] = config !== null ? [...config.agents.list] : isPlainObject(authored?.agents) && Array.isArray(authored.agents.list) ? authored.agents.list : []
  const list: AgentEntry[] = []
  for (const entry of raw) {
    if (!isPlainObject(entry) || typeof entry.id !== 'string' || list.some((a) => a.id === entry.id)) continue
    list.push({id: entry.id, name: typeof entry.name === 'string' ? entry.name : null, isDefault: entry.default === true})
  }
  if (list.length === 0) return {defaultId: IMPLICIT_AGENT_ID, list: [{id: IMPLICIT_AGENT_ID, name: null, isDefault: true}]}
  return {defaultId: (list.find((a) => a.isDefault) ?? list[0]).id, list}
}

/** The default agent's id and its model ref (the agent's own, else `agents.defaults.model`; null when none). */
export function defaultAgentModel(config: Config | null): {agentId: string; model: string | null} {
  const list = config?.agents.list ?? []
  const agentId = configuredAgents(config).defaultId
  const agent = list.find((entry) => entry.id === agentId)
  const selection = agent?.model ?? config?.agents.defaults.model
  const model = selection === undefined ? null : typeof selection === 'string' ? selection : selection.primary
  return {agentId, model}
}
