/**
 * The agents and sessions part of `openclaw status` (operations.md §8), from local files only:
 * agents from the config, session counts from each agent's `sessions.json` (runtime.md §5).
 */
import {readFileSync} from 'node:fs'

import {configuredAgents} from '../agents/default-agent.js'
import {isPlainObject} from '../config/deep-merge.js'
import type {Config} from '../config/schema/index.js'
import type {ResolvedPaths} from '../paths.js'
import {sessionStorePath} from '../sessions/paths.js'
import {summarizeSessions, type AgentSessionRows} from '../sessions/session-summary.js'

export interface AgentStatus {
  id: string
  name: string | null
  /** Entries in its `sessions.json`; 0 without one, null when it cannot be read. */
  sessions: number | null
}

export interface RecentSession {
  agentId: string
  key: string
  updatedAt: number
}

export interface LocalAgentsReport {
  agents: {defaultId: string; list: AgentStatus[]}
  sessions: {count: number; recent: RecentSession[]}
  /** Stores that exist but could not be read, as one-line notes. */
  problems: string[]
}

type StoreRead = {ok: true; entries: Array<[string, unknown]>} | {ok: false; problem: string}

/** Reads one index: a missing file is an empty store; anything but a JSON object is a problem. */
export function readSessionIndex(file: string): StoreRead {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return {ok: true, entries: []}
    return {ok: false, problem: `${file} cannot be read (${code ?? (error as Error).message})`}
  }
  try {
    const value: unknown = JSON.parse(text)
    if (isPlainObject(value)) return {ok: true, entries: Object.entries(value)}
    return {ok: false, problem: `${file} is not a JSON object`}
  } catch {
    return {ok: false, problem: `${file} is not valid JSON`}
  }
}

/** Agents with their session counts, the total, and the five most recently updated sessions. */
export function collectLocalAgents(paths: Pick<ResolvedPaths, 'home' | 'stateDir'>, config: Readonly<Config> | null, authored?: Record<string, unknown> | null): LocalAgentsReport {
  const {defaultId, list} = configuredAgents(config, authored)
  const storeTemplate = config?.session.store
  const problems: string[] = []
  const stores = list.map((agent): AgentSessionRows => {
    const read = readSessionIndex(sessionStorePath(paths, agent.id, storeTemplate))
    if (!read.ok) {
      problems.push(read.problem)
      return {agentId: agent.id, count: null, rows: []}
    }
    const rows = read.entries.flatMap(([key, entry]) => (isPlainObject(entry) && typeof entry.updatedAt === 'number' ? [{key, updatedAt: entry.updatedAt}] : []))
    return {agentId: agent.id, count: read.entries.length, rows}
  })
  const summary = summarizeSessions(stores)
  const agents = list.map((agent, index): AgentStatus => ({id: agent.id, name: agent.name, sessions: summary.agents[index].count}))
  const recent: RecentSession[] = summary.recent
  return {agents: {defaultId, list: agents}, sessions: {count: summary.count, recent}, problems}
}
