/**
 * Archive and transcript file names (runtime.md §5, §6.4): `<sessionId>.jsonl`,
 * `<sessionId>-topic-<n>.jsonl`, and `<file>.reset.<ts>` / `<file>.deleted.<ts>` with
 * `<ts>` = `YYYYMMDDTHHMMSSZ` (`-2`, `-3`… on collision).
 */

const ARCHIVE_RE = /^(.+\.jsonl)\.(reset|deleted)\.(\d{8}T\d{6}Z)(?:-(\d+))?$/
const ACTIVE_RE = /^([A-Za-z0-9_-]+?)(?:-topic-([A-Za-z0-9_-]+))?\.jsonl$/
/** Session ids we accept from callers: no path separators, no dots. */
const SESSION_ID_RE = /^[A-Za-z0-9_-]{1,128}$/

export function isValidSessionId(value: string): boolean {
  return SESSION_ID_RE.test(value)
}

export function transcriptFileName(sessionId: string, topicId?: string): string {
  return topicId === undefined ? `${sessionId}.jsonl` : `${sessionId}-topic-${topicId.replaceAll(/[^A-Za-z0-9_-]/g, '-')}.jsonl`
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function archiveStamp(ms: number): string {
  return new Date(ms).toISOString().replaceAll(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
}

/** The first free `<file>.<kind>.<ts>[-n]` among `taken`. */
export function archiveName(file: string, kind: 'reset' | 'deleted', ms: number, taken: ReadonlySet<string>): string {
  const base = `${file}.${kind}.${archiveStamp(ms)}`
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

export function parseArchiveName(name: string): {file: string; reason: 'reset' | 'deleted'} | null {
  const match = ARCHIVE_RE.exec(name)
  return match === null ? null : {file: match[1], reason: match[2] as 'reset' | 'deleted'}
}

/** The sessionId of an active transcript file name, or null when `name` is not one. */
export function sessionIdOfFile(name: string): string | null {
  return ACTIVE_RE.exec(name)?.[1] ?? null
}
