/**
 * Read-only scans over a sessions directory: archived transcripts (runtime.md §6.4) and
 * unconsumed `openclaw.inbound` markers (§8.5 startup scan).
 */
import {parseArchiveName} from './archive-names.js'
import type {StoreBackend} from './backend.js'
import type {ArchiveInfo, CustomLine, MessageLine, PendingInbound, SessionEntry} from './store.js'
import {parseTranscript} from './transcript-parse.js'

/** Archives newest first, each described from its header and last line. */
export async function listArchives(backend: StoreBackend): Promise<ArchiveInfo[]> {
  const out: ArchiveInfo[] = []
  for (const file of await backend.list()) {
    const archive = parseArchiveName(file.name)
    if (archive === null) continue
    const transcript = parseTranscript((await backend.read(file.name)) ?? '', file.name)
    const last = transcript.lines.at(-1)
    const end = last?.type === 'custom' && (last as CustomLine).customType === 'openclaw.session_end' ? Number((last as CustomLine).data.at) : Date.parse(last?.timestamp ?? '')
    out.push({
      sessionId: transcript.header?.id ?? archive.file.replace(/(-topic-.+)?\.jsonl$/, ''),
      sessionKey: typeof transcript.header?.sessionKey === 'string' ? transcript.header.sessionKey : null,
      agentId: typeof transcript.header?.agentId === 'string' ? transcript.header.agentId : null,
      startedAt: transcript.header === null ? null : Date.parse(transcript.header.timestamp) || null,
      endedAt: Number.isFinite(end) ? end : null,
      reason: archive.reason,
      file: file.name,
      sizeBytes: file.size,
    })
  }
  return out.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))
}

/** The last line of `text` that parses as a JSON object, or null. */
export function lastParsedLine(text: string): Record<string, unknown> | null {
  const rows = text.split('\n')
  for (let i = rows.length - 1; i >= 0; i--) {
    try {
      const value = JSON.parse(rows[i]) as unknown
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
    } catch {
      // a torn or partial row: look further back
    }
  }
  return null
}

/**
 * `openclaw.inbound` markers among the last `maxLines` lines of transcripts touched within `sinceMs`,
 * minus those a later user line consumed (its `origin.dedupeKeys`) or a drop marker discarded.
 */
export async function scanPendingInbound(
  backend: StoreBackend,
  entries: ReadonlyArray<{sessionKey: string; entry: SessionEntry}>,
  options: {now: number; sinceMs: number; maxLines: number},
): Promise<PendingInbound[]> {
  const out: PendingInbound[] = []
  for (const {sessionKey, entry} of entries) {
    const info = await backend.stat(entry.sessionFile)
    if (info === null || info.mtimeMs < options.now - options.sinceMs) continue
    const transcript = parseTranscript((await backend.read(entry.sessionFile)) ?? '', entry.sessionFile)
    const lines = transcript.lines.slice(-options.maxLines)
    const consumed = new Set<string>()
    for (const line of lines) {
      if (line.type === 'message' && (line as MessageLine).message?.role === 'user') for (const key of (line as MessageLine).origin?.dedupeKeys ?? []) consumed.add(key)
      if (line.type === 'custom' && (line as CustomLine).customType === 'openclaw.inbound_dropped') {
        const keys = (line as CustomLine).data.dedupeKeys
        if (Array.isArray(keys)) for (const key of keys) consumed.add(String(key))
      }
    }
    for (const line of lines) {
      if (line.type !== 'custom' || (line as CustomLine).customType !== 'openclaw.inbound') continue
      const data = (line as CustomLine).data
      const key = typeof data.dedupeKey === 'string' ? data.dedupeKey : line.id
      if (!consumed.has(key)) out.push({sessionKey, sessionId: entry.sessionId, markerId: line.id, data})
    }
  }
  return out
}
