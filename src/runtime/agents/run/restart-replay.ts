/**
 * Restart replay (runtime.md §8.1 Restart, §8.5): after a crash, every accepted message still gets
 * its turn, once. Per session, a trailing user line with nothing after it runs again (its line is
 * already committed) and the unconsumed `openclaw.inbound` markers are queued again in order; a
 * transcript that ends inside a run gets `abortedLastRun: true`. Each replayed message carries its
 * dedupe key into the consuming user line, so a second restart does not run it again.
 */
import type {MessageOrigin, PendingInbound, SessionStore} from '../../sessions/store.js'
import type {AgentRequest, RunHandle} from './agent-runner.js'

export interface ReplayDeps {
  agentIds: string[]
  store(agentId: string): SessionStore
  start(request: AgentRequest): Promise<RunHandle>
}

export interface ReplayReport {
  resumed: string[]
  requeued: number
  abortedLastRun: string[]
  handles: RunHandle[]
  /** Messages that could not start again (e.g. the model's key is gone): logged, the others still run. */
  failed: Array<{sessionKey: string; error: string}>
}

export async function replayAfterRestart(deps: ReplayDeps): Promise<ReplayReport> {
  const report: ReplayReport = {resumed: [], requeued: 0, abortedLastRun: [], handles: [], failed: []}
  for (const agentId of deps.agentIds) {
    const store = deps.store(agentId)
    await store.recover()
    const pending = await store.pendingInbound()
    const bySession = new Map<string, PendingInbound[]>()
    for (const marker of pending) bySession.set(marker.sessionKey, [...(bySession.get(marker.sessionKey) ?? []), marker])
    for (const {sessionKey} of await store.list()) {
      const {messages} = await store.activeContext(sessionKey)
      const last = messages.at(-1)
      const insideRun = last !== undefined && (last.role !== 'assistant' || last.stopReason === 'toolUse')
      if (insideRun) {
        await store.patch(sessionKey, {abortedLastRun: true})
        report.abortedLastRun.push(sessionKey)
      }
      const start = async (request: AgentRequest): Promise<boolean> => {
        try {
          report.handles.push(await deps.start(request))
          return true
        } catch (error) {
          report.failed.push({sessionKey, error: error instanceof Error ? error.message : String(error)})
          return false
        }
      }
      if (last?.role === 'user') {
        const text = last.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
        if (await start({message: text, agentId, sessionKey, committed: 'user-line'})) report.resumed.push(sessionKey)
      }
      for (const marker of bySession.get(sessionKey) ?? []) {
        const data = marker.data
        const dedupeKey = typeof data.dedupeKey === 'string' ? data.dedupeKey : marker.markerId
        const origin = isOrigin(data.origin) ? data.origin : {channel: 'cli'}
        if (await start({message: String(data.text ?? ''), agentId, sessionKey, origin: {...origin, dedupeKeys: [dedupeKey]}, committed: 'marker'})) report.requeued++
      }
    }
  }
  return report
}

function isOrigin(value: unknown): value is MessageOrigin {
  return typeof value === 'object' && value !== null && typeof (value as {channel?: unknown}).channel === 'string'
}
