/**
 * Startup recovery of one sessions directory (runtime.md §5.2, §6.3): complete resets that crashed
 * after their session-end marker, archive unreferenced transcripts that ended with one, and restart
 * missing transcripts under the same sessionId. A crash at any point leaves one active session.
 */
import {parseArchiveName, sessionIdOfFile} from './archive-names.js'
import {lastParsedLine} from './archive-scan.js'
import type {StoreBackend} from './backend.js'
import type {RecoveryReport, ResetResult, SessionEntry} from './store.js'

export interface RecoveryDeps {
  backend: StoreBackend
  list(): Promise<Array<{sessionKey: string; entry: SessionEntry}>>
  completeReset(sessionKey: string, old: SessionEntry, nextSessionId: string, reason: string, at: number): Promise<ResetResult>
  ensureTranscript(sessionKey: string, entry: SessionEntry): Promise<SessionEntry>
  archive(file: string): Promise<string | null>
}

/** Enough of a file's end to hold its last line (markers are small). */
const TAIL_BYTES = 64 * 1024

function sessionEnd(line: Record<string, unknown> | null): {nextSessionId: string; reason: string; at: number} | null {
  if (line?.type !== 'custom' || line.customType !== 'openclaw.session_end') return null
  const data = line.data as Record<string, unknown> | undefined
  if (typeof data?.nextSessionId !== 'string') return null
  return {nextSessionId: data.nextSessionId, reason: typeof data.reason === 'string' ? data.reason : 'reset', at: typeof data.at === 'number' ? data.at : Date.now()}
}

export async function recoverStore(deps: RecoveryDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = {corruptIndexRenamedTo: null, rebuiltEntries: 0, completedResets: [], recoveredTranscripts: [], notes: []}
  for (const {sessionKey, entry} of await deps.list()) {
    const tail = await deps.backend.readTail(entry.sessionFile, TAIL_BYTES)
    if (tail === null) {
      await deps.ensureTranscript(sessionKey, entry)
      report.recoveredTranscripts.push(sessionKey)
      continue
    }
    const end = sessionEnd(lastParsedLine(tail))
    if (end === null) continue
    await deps.completeReset(sessionKey, entry, end.nextSessionId, end.reason, end.at)
    report.completedResets.push(sessionKey)
    report.notes.push(`completed the interrupted reset of ${sessionKey} (${entry.sessionId} -> ${end.nextSessionId})`)
  }
  const referenced = new Set((await deps.list()).map(({entry}) => entry.sessionFile))
  for (const file of await deps.backend.list()) {
    if (referenced.has(file.name) || sessionIdOfFile(file.name) === null || parseArchiveName(file.name) !== null) continue
    if (sessionEnd(lastParsedLine((await deps.backend.readTail(file.name, TAIL_BYTES)) ?? '')) === null) continue
    const archived = await deps.archive(file.name)
    if (archived !== null) report.notes.push(`archived ended transcript ${file.name} as ${archived}`)
  }
  return report
}
