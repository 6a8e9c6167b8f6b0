import {AppError} from '../../errors/app-error.js'
import type {PathSegment} from '../issues.js'

/**
 * Parses a config path as typed on the command line (config.md §10.1): dots separate keys,
 * `[n]` indexes arrays, `["key"]` / `['key']` quote keys holding dots, brackets or spaces
 * (a backslash escapes the quote or itself). An all-digit bare segment is an array index.
 * Throws CONFIG_PATH_INVALID (exit 2) for an empty path, an empty segment or an unbalanced
 * bracket.
 */
export function parseConfigPath(input: string): PathSegment[] {
  const segments = tryParseConfigPath(input)
  if (segments === null) {
    throw new AppError('CONFIG_PATH_INVALID', `invalid config path: ${input}`, {
      hint: ['Write keys with dots and indexes in brackets: openclaw config get channels.telegram.groups["-1001234"].requireMention'],
    })
  }
  return segments
}

/** Like {@link parseConfigPath}, but returns null instead of throwing. */
export function tryParseConfigPath(input: string): PathSegment[] | null {
  const segments: PathSegment[] = []
  let i = 0
  // What may come next: a bare key (start, or after a dot) or only `.`/`[`/end (after a bracket).
  let expectKey = true
  if (input === '') return null
  while (i < input.length) {
    const ch = input[i]
    if (ch === '[') {
      const parsed = readBracket(input, i)
      if (parsed === null) return null
      segments.push(parsed.segment)
      i = parsed.end
      expectKey = false
      continue
    }
    if (ch === '.') {
      // `.` must follow a segment and be followed by one: `a..b`, `.a`, `a.` are empty segments.
      if (segments.length === 0 || expectKey || i === input.length - 1 || input[i + 1] === '.' || input[i + 1] === '[') return null
      i++
      expectKey = true
      continue
    }
    if (ch === ']') return null
    if (!expectKey) return null
    let end = i
    while (end < input.length && !'.[]'.includes(input[end])) end++
    const bare = input.slice(i, end)
    segments.push(toSegment(bare))
    i = end
    expectKey = false
  }
  return segments
}

function readBracket(input: string, start: number): {segment: PathSegment; end: number} | null {
  const quote = input[start + 1]
  if (quote === '"' || quote === "'") {
    let key = ''
    let i = start + 2
    while (i < input.length && input[i] !== quote) {
      if (input[i] === '\\' && i + 1 < input.length) i++
      key += input[i]
      i++
    }
    if (i >= input.length || input[i + 1] !== ']' || key === '') return null
    return {segment: key, end: i + 2}
  }
  const close = input.indexOf(']', start)
  if (close === -1) return null
  const inner = input.slice(start + 1, close)
  if (!/^\d+$/.test(inner)) return null
  return {segment: toSegment(inner), end: close + 1}
}

/** All digits = an index; one too large to be an index stays a key (a Telegram chat id, say). */
function toSegment(bare: string): PathSegment {
  if (!/^\d+$/.test(bare)) return bare
  const n = Number(bare)
  return Number.isSafeInteger(n) ? n : bare
}
