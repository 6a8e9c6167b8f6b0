/**
 * Restart replay (runtime.md §8.1 Restart, §8.5): after a crash, every accepted message still gets
 * its turn, once. Per session, a trailing user line with nothing after it runs again (its line is
 * already committed) and the unconsumed `openclaw.inbound` markers are queued again in order; a
 * transcript that ends inside a run gets `abortedLastRun: true`. Each replayed message carries its
 * dedupe key into the consuming user line, so a second restart does not run it again. Channel
 * runs (a user line or marker whose origin has `delivery: "channel"`) are handed to `follow`, so
 * their replies reach the chat, and finals a crash left unsent are sent once (pending-deliveries.ts).
 */
import type {ImagePart} from '../../models/messages.js'
import type {MessageOrigin, PendingInbound, SessionStore} from '../../sessions/store.js'
import type {AgentRequest, RunHandle} from './run-contract.js'
import {DELIVERY_MARKER, scanPendingDeliveries, type PendingDelivery} from './pending-deliveries.js'

export interface ReplayDeps {
  agentIds: string[]
  store(agentId: string): SessionStore
  start(request: AgentRequest): Promise<RunHandle>
  /** Delivers a replayed channel run's reply through its origin's channel (finishing the preview the crash left, if any). */
  follow?(handle: RunHandle, origin: MessageOrigin, resume?: {previewMessageId: string}): void
  /** Sends a final that a crash left unsent (resolves once it went out or failed). */
  redeliver?(where: {agentId: string; sessionKey: string}, pending: PendingDelivery): Promise<void>
}

export interface ReplayReport {
  resumed: string[]
  requeued: number
  abortedLastRun: string[]
  handles: RunHandle[]
  /** Finals sent now because a crash left them unsent. */
  redelivered: number
  /** Finals that were being sent at the crash: marked `undelivered`, never resent. */
  undelivered: number
  /** The redeliveries in flight (tests await them). */
  deliveries: Array<Promise<void>>
  /** Messages that could not start again (e.g. the model's key is gone): logged, the others still run. */
  failed: Array<{sessionKey: string; error: string}>
}

export async function replayAfterRestart(deps: ReplayDeps): Promise<ReplayReport> {
  const report: ReplayReport = {resumed: [], requeued: 0, abortedLastRun: [], handles: [], redelivered: 0, undelivered: 0, deliveries: [], failed: []}
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
      const start = async (request: AgentRequest): Promise<RunHandle | undefined> => {
        try {
          const handle = await deps.start(request)
          report.handles.push(handle)
          return handle
        } catch (error) {
          report.failed.push({sessionKey, error: error instanceof Error ? error.message : String(error)})
          return undefined
        }
      }
      const lines = deps.redeliver === undefined && deps.follow === undefined ? [] : (await store.readTranscript({sessionKey})).lines
      const scan = scanPendingDeliveries(lines.slice(-500))
      if (deps.redeliver !== undefined) {
        for (const pending of scan.interrupted) {
          await store.append(sessionKey, {type: 'custom', customType: DELIVERY_MARKER, data: {dedupeKey: pending.dedupeKey, state: 'undelivered', reason: 'the gateway stopped while this reply was being sent; it may not have arrived and is not sent again'}})
          report.undelivered++
        }
        for (const pending of scan.unsent) {
          report.deliveries.push(deps.redeliver({agentId, sessionKey}, pending).catch(() => undefined))
          report.redelivered++
        }
      }
      if (last?.role === 'user') {
        const text = last.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
        const origin = lastUserOrigin(lines)
        const handle = await start({message: text, agentId, sessionKey, committed: 'user-line', ...(origin === undefined ? {} : {origin, channel: origin.channel})})
        if (handle !== undefined) {
          if (origin?.delivery === 'channel') deps.follow?.(handle, origin, scan.openPreviewMessageId === undefined ? undefined : {previewMessageId: scan.openPreviewMessageId})
          report.resumed.push(sessionKey)
        }
      }
      for (const marker of bySession.get(sessionKey) ?? []) {
        const data = marker.data
        const dedupeKey = typeof data.dedupeKey === 'string' ? data.dedupeKey : marker.markerId
        const origin = isOrigin(data.origin) ? {...data.origin, dedupeKeys: [dedupeKey]} : {channel: 'cli', dedupeKeys: [dedupeKey]}
        const images = Array.isArray(data.images) ? (data.images as ImagePart[]).filter((part) => part?.type === 'image' && typeof part.data === 'string') : []
        const handle = await start({message: String(data.text ?? ''), ...(images.length > 0 ? {images} : {}), agentId, sessionKey, origin, committed: 'marker', ...(isOrigin(data.origin) ? {channel: origin.channel} : {})})
        if (handle === undefined) continue
        if (origin.delivery === 'channel') deps.follow?.(handle, origin)
        report.requeued++
      }
    }
  }
  return report
}

/** The origin of the transcript's last user line (the one a resumed run answers). */
function lastUserOrigin(lines: readonly unknown[]): MessageOrigin | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as {type?: string; message?: {role?: string}; origin?: unknown}
    if (line.type === 'message' && line.message?.role === 'user') return isOrigin(line.origin) ? line.origin : undefined
  }
  return undefined
}

function isOrigin(value: unknown): value is MessageOrigin {
  return typeof value === 'object' && value !== null && typeof (value as {channel?: unknown}).channel === 'string'
}
