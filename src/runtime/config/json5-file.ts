import {readFileSync, statSync, type Stats} from 'node:fs'

import JSON5 from 'json5'

/** Size limit for the config file and every included file (config.md §2, §5). */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024

/** Why a config (or included) file could not be turned into a value. */
export type ReadFailure =
  | {kind: 'missing'}
  | {kind: 'not-file'; what: string}
  | {kind: 'unreadable'; reason: string}
  | {kind: 'too-large'; size: number}
  | {kind: 'parse'; line: number; column: number; message: string}

/** On a parse failure `bytes` and `text` are still there (owned writes and `config validate` report on them). */
export type Json5FileResult = {ok: true; bytes: Buffer; text: string; value: unknown} | {ok: false; failure: ReadFailure; bytes?: Buffer; text?: string}

/**
 * Reads and parses one JSON5 file, synchronously. The file is stat'ed before it is opened, so a
 * FIFO or a device is refused without blocking on it. A UTF-8 BOM is dropped. Never throws for
 * file-system or syntax problems; they come back as a `ReadFailure`.
 */
export function readJson5File(file: string, maxBytes = MAX_CONFIG_BYTES, options: {emptyAs?: unknown} = {}): Json5FileResult {
  let stats: Stats | undefined
  try {
    stats = statSync(file, {throwIfNoEntry: false})
  } catch (error) {
    return {ok: false, failure: fsFailure(error)}
  }
  if (stats === undefined) return {ok: false, failure: {kind: 'missing'}}
  if (!stats.isFile()) return {ok: false, failure: {kind: 'not-file', what: describeFileType(stats)}}
  if (stats.size > maxBytes) return {ok: false, failure: {kind: 'too-large', size: stats.size}}
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return {ok: false, failure: fsFailure(error)}
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) return {ok: false, failure: {kind: 'too-large', size: bytes.length}}
  const text = stripBom(bytes.toString('utf8'))
  if (options.emptyAs !== undefined && text.trim() === '') return {ok: true, bytes, text, value: options.emptyAs}
  const parsed = parseJson5(text)
  if (!parsed.ok) return {ok: false, failure: {kind: 'parse', line: parsed.line, column: parsed.column, message: parsed.message}, bytes, text}
  return {ok: true, bytes, text, value: parsed.value}
}

/** JSON5.parse with the position split out of the message (`invalid character 'x'`, line, column). */
export function parseJson5(text: string): {ok: true; value: unknown} | {ok: false; line: number; column: number; message: string} {
  try {
    // Owned writes emit plain JSON, and JSON.parse is many times faster than the JSON5 parser.
    return {ok: true, value: JSON.parse(text)}
  } catch {
    // Not plain JSON: fall through to JSON5, whose errors carry line and column.
  }
  try {
    return {ok: true, value: JSON5.parse(text)}
  } catch (error) {
    const err = error as Error & {lineNumber?: number; columnNumber?: number}
    const message = err.message.replace(/^JSON5:\s*/, '').replace(/\s+at \d+:\d+$/, '')
    return {ok: false, line: err.lineNumber ?? 1, column: err.columnNumber ?? 1, message}
  }
}

/** The issue text for a failure; `name` is how the file is shown (`./x.json5`, `~/.openclaw/openclaw.json`). */
export function describeReadFailure(failure: ReadFailure, name: string, limitLabel: string): string {
  switch (failure.kind) {
    case 'missing':
      return `file not found: ${name}`
    case 'not-file':
      return `${name} is not a regular file (it is ${failure.what})`
    case 'unreadable':
      return `cannot read ${name}: ${failure.reason}`
    case 'too-large':
      return `${name} is ${formatMegabytes(failure.size, MAX_CONFIG_BYTES)}; ${limitLabel} are limited to ${formatMegabytes(MAX_CONFIG_BYTES)}`
    case 'parse':
      return `${name}:${failure.line}:${failure.column}: ${failure.message}`
  }
}

/**
 * `3.1 MB` (MiB, one decimal, `.0` dropped). With `limit`, a size over it is rounded up, so a file
 * just over the limit never reads as equal to it.
 */
export function formatMegabytes(bytes: number, limit?: number): string {
  const tenths = bytes / (1024 * 1024) * 10
  const over = limit !== undefined && bytes > limit
  const mb = (over && Math.round(tenths) / 10 <= limit / (1024 * 1024) ? Math.ceil(tenths) : Math.round(tenths)) / 10
  return `${Number.isInteger(mb) ? mb.toFixed(0) : mb.toFixed(1)} MB`
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function describeFileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a file'
}

function fsFailure(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return {kind: 'missing'}
  if (code === 'EACCES' || code === 'EPERM') return {kind: 'unreadable', reason: 'permission denied'}
  if (code === 'ELOOP') return {kind: 'unreadable', reason: 'too many levels of symbolic links'}
  if (code === 'EISDIR') return {kind: 'not-file', what: 'a directory'}
  return {kind: 'unreadable', reason: code ?? (error as Error).message}
}
