/** Sessions listed per agent and overall, most recent first (status and health agree). */
export const RECENT_SESSIONS = 5

export interface SessionRow {
  key: string
  updatedAt: number
}

export interface AgentSessionRows {
  agentId: string
  /** Entries in the agent's store; null when it could not be read. */
  count: number | null
  /** Rows with a known `updatedAt`, in any order. */
  rows: readonly SessionRow[]
}

export interface SessionsSummary {
  /** Per agent, in input order: its count and its most recent rows. */
  agents: Array<{agentId: string; count: number | null; recent: SessionRow[]}>
  /** Sum of the counts that could be read. */
  count: number
  recent: Array<SessionRow & {agentId: string}>
}

/**
 * The one count of sessions per agent, shared by `status` (local files) and the gateway's health
 * snapshot (its session stores): per-agent counts and recents, the total, and the overall recents.
 */
export function summarizeSessions(agents: readonly AgentSessionRows[], limit = RECENT_SESSIONS): SessionsSummary {
  const newestFirst = (a: SessionRow, b: SessionRow) => b.updatedAt - a.updatedAt
  const all: Array<SessionRow & {agentId: string}> = []
  let count = 0
  const perAgent = agents.map(({agentId, count: n, rows}) => {
    count += n ?? 0
    const recent = [...rows].sort(newestFirst).slice(0, limit).map(({key, updatedAt}) => ({key, updatedAt}))
    all.push(...recent.map((row) => ({agentId, ...row})))
    return {agentId, count: n, recent}
  })
  return {agents: perAgent, count, recent: all.sort(newestFirst).slice(0, limit)}
}
