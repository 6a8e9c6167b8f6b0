/**
 * Reading transcript files (runtime.md §5.3 Reading): the header, the lines after it, and one
 * warning per kind of problem. Never throws on bad content: a bad file is reported, not deleted.
 */
import {randomUUID} from 'node:crypto'

import type {ForeignLine, SessionHeader, Transcript, TranscriptLine} from './store.js'

/** A new line id: 8 lowercase hex, not in `taken`. */
export function newLineId(taken: ReadonlySet<string>): string {
  for (;;) {
    // A UUID's first 8 characters are random hex; randomUUID draws from a pre-filled entropy
    // buffer, where randomBytes allocates and fills a Buffer per call (two lines per turn).
    const id = randomUUID().slice(0, 8)
    if (!taken.has(id)) return id
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The header when `value` is one (`type: "session"` with a string id), else null. */
export function asHeader(value: unknown): SessionHeader | null {
  if (!isRecord(value) || value.type !== 'session' || typeof value.id !== 'string' || value.id === '') return null
  return value as SessionHeader
}

/** Parses a whole transcript file's text. */
export function parseTranscript(text: string, file: string): Transcript {
  const warnings: string[] = []
  const rows = text.split('\n')
  const torn = rows.length > 0 && rows.at(-1) !== ''
  if (!torn) rows.pop()
  let header: SessionHeader | null = null
  const lines: Array<TranscriptLine | ForeignLine> = []
  let malformed = 0
  rows.forEach((row, index) => {
    const parsed = parseRow(row)
    if (index === 0) {
      header = asHeader(parsed)
      if (header === null) warnings.push(`${file}: first line is not a valid session header; the file is ignored for context`)
      return
    }
    if (isRecord(parsed) && typeof parsed.type === 'string') {
      lines.push(parsed as ForeignLine)
      return
    }
    if (row.trim() === '') return
    if (index === rows.length - 1 && torn) warnings.push(`${file}: torn last line ignored`)
    else malformed++
  })
  if (malformed > 0) warnings.push(`${file}: ${malformed} malformed line(s) skipped`)
  return {header, lines, file, warnings}
}

function parseRow(row: string): unknown {
  try {
    return JSON.parse(row)
  } catch {
    return undefined
  }
}

/** The last line that carries an id (the next appended line's parentId). */
export function lastLineId(lines: ReadonlyArray<{id?: unknown}>): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const id = lines[i].id
    if (typeof id === 'string') return id
  }
  return null
}
