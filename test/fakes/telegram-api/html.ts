/** What Telegram accepts in `parse_mode: "HTML"` (a subset; enough to catch our renderer's mistakes). */
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji'])
const NAMED_ENTITIES: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"'}

export type HtmlCheck = {ok: true; visible: string} | {ok: false; error: string}

/** Parses Telegram HTML like the Bot API does: known tags, proper nesting, known entities. Returns the visible text. */
export function parseTelegramHtml(html: string): HtmlCheck {
  const stack: string[] = []
  let visible = ''
  let i = 0
  while (i < html.length) {
    const ch = html[i]
    if (ch === '<') {
      const end = html.indexOf('>', i)
      if (end === -1) return {ok: false, error: `can't parse entities: Unclosed start tag at byte offset ${i}`}
      const raw = html.slice(i + 1, end).trim()
      const closing = raw.startsWith('/')
      const name = (closing ? raw.slice(1) : raw).split(/\s/)[0].toLowerCase()
      if (!ALLOWED_TAGS.has(name)) return {ok: false, error: `can't parse entities: Unsupported start tag "${name}" at byte offset ${i}`}
      if (closing) {
        if (stack.pop() !== name) return {ok: false, error: `can't parse entities: Unmatched end tag at byte offset ${i}, expected "</${stack.at(-1) ?? ''}>", found "</${name}>"`}
      } else {
        if (name === 'a' && !/\bhref="[^"]*"/.test(raw)) return {ok: false, error: `can't parse entities: Can't find end of href at byte offset ${i}`}
        stack.push(name)
      }
      i = end + 1
    } else if (ch === '&') {
      const end = html.indexOf(';', i)
      const body = end === -1 ? '' : html.slice(i + 1, end)
      let decoded: string | undefined
      if (/^#\d{1,7}$/.test(body)) decoded = String.fromCodePoint(Number(body.slice(1)))
      else if (/^#x[0-9a-f]{1,6}$/i.test(body)) decoded = String.fromCodePoint(Number.parseInt(body.slice(2), 16))
      else decoded = NAMED_ENTITIES[body]
      if (decoded === undefined) return {ok: false, error: `can't parse entities: Unsupported entity at byte offset ${i}`}
      visible += decoded
      i = end + 1
    } else if (ch === '>') {
      visible += ch
      i++
    } else {
      visible += ch
      i++
    }
  }
  if (stack.length > 0) return {ok: false, error: `can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"`}
  return {ok: true, visible}
}
