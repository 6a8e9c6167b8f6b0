/** Human output of `openclaw agents …`. */

interface AgentRow {
  id: string
  name: string | null
  default: boolean
  workspace: string
  model: string | null
  identity: {name?: string; emoji?: string}
  bindings?: Array<{channel: string; accountId?: string; peer?: {kind: string; id: string}; comment?: string}>
}

export function describeMatch(match: {channel: string; accountId?: string; peer?: {kind: string; id: string}}): string {
  return `${match.channel}${match.accountId === undefined ? '' : `:${match.accountId}`}${match.peer === undefined ? '' : ` ${match.peer.kind}:${match.peer.id}`}`
}

export function renderAgentList(result: {agents: AgentRow[]}): string[] {
  return result.agents.flatMap((agent) => {
    const label = [agent.identity.emoji, agent.identity.name ?? agent.name].filter((v) => v !== undefined && v !== null).join(' ')
    const head = `${agent.id}${agent.default ? ' (default)' : ''}${label === '' ? '' : `  ${label}`}  ${agent.model ?? 'no model'}  ${agent.workspace}`
    const bindings = agent.bindings === undefined ? [] : agent.bindings.length === 0 ? ['    no bindings'] : agent.bindings.map((b) => `    ← ${describeMatch(b)}${b.comment === undefined ? '' : `  # ${b.comment}`}`)
    return [head, ...bindings]
  })
}
