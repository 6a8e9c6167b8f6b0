/**
 * Splits Telegram HTML into messages of at most `limit` visible UTF-16 units (telegram.md §10.3).
 * Pure. A cut never falls inside a tag, an entity or a surrogate pair; tags open at a cut are
 * closed at the end of the chunk and reopened at the start of the next, so each chunk is valid
 * HTML on its own. Plain text (`plain: true`) is split by the same rules with no markup.
 */

type Token = {kind: 'open'; name: string; raw: string} | {kind: 'close'; name: string; raw: string} | {kind: 'text'; raw: string; visible: string}

function tokenize(input: string, plain: boolean): Token[] {
  const tokens: Token[] = []
  for (let i = 0; i < input.length;) {
    if (!plain && input[i] === '<') {
      const end = input.indexOf('>', i)
      const raw = input.slice(i, end + 1)
      const name = /^<\/?([a-z-]+)/i.exec(raw)![1].toLowerCase()
      tokens.push({kind: raw[1] === '/' ? 'close' : 'open', name, raw})
      i = end + 1
    } else if (!plain && input[i] === '&') {
      const end = input.indexOf(';', i)
      tokens.push({kind: 'text', raw: input.slice(i, end + 1), visible: 'x'})
      i = end + 1
    } else {
      const code = input.charCodeAt(i)
      const width = code >= 0xd800 && code <= 0xdbff && i + 1 < input.length ? 2 : 1
      const raw = input.slice(i, i + width)
      tokens.push({kind: 'text', raw, visible: raw})
      i += width
    }
  }
  return tokens
}

export interface ChunkOptions {
  limit: number
  mode?: 'length' | 'newline'
  plain?: boolean
}

export function chunkTelegramHtml(input: string, options: ChunkOptions): string[] {
  // Most replies fit one message: no visible text is longer than its markup, so no tokens needed.
  if (options.mode !== 'newline' && input.length <= options.limit) return visibleOf(input, options.plain === true).trim() === '' ? [] : [input]
  const tokens = tokenize(input, options.plain === true)
  const pieces = options.mode === 'newline' ? splitParagraphs(tokens) : [tokens]
  return pieces.flatMap((piece) => chunkTokens(piece, options.limit)).filter((chunk) => visibleOf(chunk, options.plain === true).trim() !== '')
}

function visibleOf(html: string, plain: boolean): string {
  return plain ? html : html.replace(/<[^>]+>/g, '').replace(/&[^;]+;/g, 'x')
}

/** Paragraphs: split at blank lines outside <pre>; each keeps the tags open around it. */
function splitParagraphs(tokens: Token[]): Token[][] {
  const out: Token[][] = []
  let current: Token[] = []
  const stack: Token[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const inPre = stack.some((t) => t.kind === 'open' && t.name === 'pre')
    if (!inPre && token.kind === 'text' && token.raw === '\n' && tokens[i + 1]?.kind === 'text' && tokens[i + 1].raw === '\n') {
      out.push([...current, ...[...stack].reverse().map((t) => ({kind: 'close' as const, name: (t as {name: string}).name, raw: `</${(t as {name: string}).name}>`}))])
      current = [...stack]
      while (tokens[i + 1]?.kind === 'text' && tokens[i + 1].raw === '\n') i++
      continue
    }
    if (token.kind === 'open') stack.push(token)
    if (token.kind === 'close') stack.pop()
    current.push(token)
  }
  out.push(current)
  return out
}

function chunkTokens(tokens: Token[], limit: number): string[] {
  const chunks: string[] = []
  let start = 0
  let reopen: Token[] = []
  while (start < tokens.length) {
    // Walk forward until the window is full, remembering the best break point.
    let used = 0
    let end = start
    let blank = -1, newline = -1, space = -1
    const half = limit / 2
    for (; end < tokens.length; end++) {
      const token = tokens[end]
      if (token.kind !== 'text') continue
      if (used + token.visible.length > limit) break
      used += token.visible.length
      if (token.raw === '\n') {
        newline = end
        if (used >= half && end > start && tokens[end - 1].kind === 'text' && tokens[end - 1].raw === '\n') blank = end
      } else if (token.raw === ' ') space = end
    }
    let cut = Math.max(end, start + 1)
    let skip = 0
    if (end < tokens.length) {
      const at = blank >= 0 ? blank : newline >= 0 ? newline : space
      if (at > start) {
        cut = at
        skip = 1
      }
    }
    const stack = [...reopen]
    const body: string[] = reopen.map((t) => t.raw)
    for (let i = start; i < cut; i++) {
      const token = tokens[i]
      if (token.kind === 'open') stack.push(token)
      if (token.kind === 'close') stack.pop()
      body.push(token.raw)
    }
    // Tags opened right before the cut with nothing inside stay for the next chunk.
    let next = cut + skip
    while (next < tokens.length && tokens[next].kind === 'close' && stack.at(-1)?.kind === 'open' && (stack.at(-1) as {name: string}).name === (tokens[next] as {name: string}).name) {
      body.push(tokens[next].raw)
      stack.pop()
      next++
    }
    body.push(...[...stack].reverse().map((t) => `</${(t as {name: string}).name}>`))
    chunks.push(body.join(''))
    reopen = stack
    start = next
  }
  return chunks
}
