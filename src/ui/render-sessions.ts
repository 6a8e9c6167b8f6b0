/** Human output of `openclaw sessions …`. */
import type {HistoryMessage, SessionRow} from '../runtime/sessions/session-queries.js'

function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86_400) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86_400)}d ago`
}

export function renderSessionList(result: {count: number; totalCount: number; sessions: SessionRow[]}, now = Date.now()): string[] {
  if (result.sessions.length === 0) return ['No sessions yet: a session starts with the first message to an agent.']
  const lines = result.sessions.flatMap((row) => {
    const head = `${row.agentId}  ${row.key}  ${row.sessionId.slice(0, 8)}  ${ago(row.updatedAt, now)}${row.model === null ? '' : `  ${row.model}`}${row.totalTokens === undefined ? '' : `  ${row.totalTokens} tokens`}`
    const archived = (row.archived ?? []).map((a) => `    archived ${a.sessionId} (${a.reason}${a.archivedAt === null ? '' : `, ${new Date(a.archivedAt).toISOString()}`})`)
    return [head, ...archived]
  })
  if (result.totalCount > result.count) lines.push(`… ${result.totalCount - result.count} more (use --limit)`)
  return lines
}

export function renderHistory(result: {key: string; sessionId: string | null; messages: HistoryMessage[]; hasMore: boolean}): string[] {
  const lines = [`${result.key} · session ${result.sessionId ?? '?'}${result.hasMore ? ' · earlier messages not shown (use --limit)' : ''}`]
  for (const message of result.messages) {
    const calls = (message.toolCalls ?? []).map((call) => `  → ${call.name} ${JSON.stringify(call.arguments).slice(0, 120)}`)
    const error = message.errorMessage === undefined ? [] : [`  ⚠ ${message.stopReason ?? 'error'}: ${message.errorMessage}`]
    const role = message.role === 'compaction' ? `compaction · ~${message.tokensBefore ?? '?'} → ~${message.tokensAfter ?? '?'} tokens` : message.role
    lines.push(`[${role}] ${message.text}`, ...calls, ...error)
  }
  return lines
}
