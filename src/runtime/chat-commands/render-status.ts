/** The `/status` reply (runtime.md §7): one fact per line, plain text every channel can show. */
import type {SessionEntry} from '../sessions/store.js'

export interface StatusFacts {
  agentId: string
  model: string | null
  sessionKey: string
  entry: SessionEntry | undefined
  resetPolicy: string
  nextResetAt: number | null
  contextTokens: number
  contextWindow?: number
  run: {running: boolean; runningSinceMs?: number; queued: number; queueMode?: string; lastModel?: {ref: string; fallback: boolean}; lastRun?: {input: number; output: number}}
  version: string
  now: number
}

/** `12.4k`, `950`. */
export function compactTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(n)
}

function localTime(ms: number): string {
  const d = new Date(ms)
  const pad = (v: number) => String(v).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function renderStatus(facts: StatusFacts): string {
  const {entry, run} = facts
  const fallback = run.lastModel?.fallback === true ? ` (fallback ${run.lastModel.ref} answered last)` : ''
  const lines = [`Agent: ${facts.agentId}`, `Model: ${facts.model ?? 'none configured'}${fallback}`, `Session: ${facts.sessionKey}`]
  if (entry === undefined) lines.push('Session id: none yet (starts with the first message)')
  else {
    lines.push(`Session id: ${entry.sessionId.slice(0, 8)} · started ${localTime(entry.sessionStartedAt)}`)
    if (entry.previousSessionId !== undefined) lines.push(`Previous session: ${entry.previousSessionId.slice(0, 8)} (ended by ${entry.resetReason ?? 'reset'})`)
  }
  lines.push(`Reset: ${facts.resetPolicy}${facts.nextResetAt === null ? '' : ` · next ${localTime(facts.nextResetAt)}`}`)
  lines.push(`Context: ~${compactTokens(facts.contextTokens)}${facts.contextWindow === undefined ? '' : ` / ${compactTokens(facts.contextWindow)}`} tokens`)
  lines.push(`Compactions: ${entry?.compactionCount ?? 0}`)
  lines.push(`Queue: ${run.queueMode ?? entry?.queueMode ?? 'collect'} · ${run.queued} queued`)
  lines.push(`Run: ${run.running ? `running ${Math.max(0, Math.round((facts.now - (run.runningSinceMs ?? facts.now)) / 1000))}s` : 'idle'}`)
  if (run.lastRun !== undefined) lines.push(`Last run: ${run.lastRun.input} in / ${run.lastRun.output} out tokens`)
  lines.push(`openclaw ${facts.version}`)
  return lines.join('\n')
}
