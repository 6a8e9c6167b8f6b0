/**
 * Model Markdown → Telegram HTML (telegram.md §10.2). Pure. Model HTML is never passed
 * through: text is escaped first, then our own tags are added. Unpaired markers stay literal;
 * if the result could still be mis-nested, the whole reply is sent as escaped text instead.
 */

export function escapeHtml(text: string, attribute = false): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return attribute ? escaped.replace(/"/g, '&quot;') : escaped
}

const LINK_SCHEMES = /^(https?|tg|mailto):/i

function renderInline(text: string): string {
  const slots: string[] = []
  const hold = (html: string) => `\uE000${slots.push(html) - 1}\uE000`
  let out = text.replace(/`([^`\n]+)`/g, (_m, code: string) => hold(`<code>${escapeHtml(code)}</code>`))
  out = out.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (match, label: string, url: string) =>
    LINK_SCHEMES.test(url) ? hold(`<a href="${escapeHtml(url, true)}">${renderInline(label)}</a>`) : match)
  out = escapeHtml(out)
  const pairs: Array<[RegExp, string]> = [
    [/\*\*(?=\S)([^*\n]+?)\*\*/g, 'b'],
    [/(?<![\w_])__(?=\S)([^_\n]+?)__(?![\w_])/g, 'b'],
    [/~~(?=\S)([^~\n]+?)~~/g, 's'],
    [/\|\|(?=\S)([^|\n]+?)\|\|/g, 'tg-spoiler'],
    [/(?<![\w*])\*(?=[^\s*])([^*\n]+?)\*(?![\w*])/g, 'i'],
    [/(?<![\w_])_(?=[^\s_])([^_\n]+?)_(?![\w_])/g, 'i'],
  ]
  for (const [pattern, tag] of pairs) out = out.replace(pattern, (_m, inner: string) => `<${tag}>${inner}</${tag}>`)
  return out.replace(/\uE000(\d+)\uE000/g, (_m, index: string) => slots[Number(index)])
}

/** Renders a Markdown reply to Telegram HTML. */
export function markdownToTelegramHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const fence = /^\s*```\s*([\w+#.-]*)\s*$/.exec(line)
    if (fence) {
      const body: string[] = []
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i])
      const lang = fence[1] ? ` class="language-${escapeHtml(fence[1], true)}"` : ''
      out.push(`<pre><code${lang}>${escapeHtml(body.join('\n'))}</code></pre>`)
      continue
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      const rows: string[] = []
      for (; i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i]); i++) if (!/^\s*\|[\s:|-]+\|\s*$/.test(lines[i])) rows.push(lines[i].trim())
      i--
      out.push(`<pre>${escapeHtml(rows.join('\n'))}</pre>`)
      continue
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = []
      for (; i < lines.length && /^\s*>/.test(lines[i]); i++) quoted.push(renderInline(lines[i].replace(/^\s*>\s?/, '')))
      i--
      out.push(`<blockquote>${quoted.join('\n')}</blockquote>`)
      continue
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading) {
      out.push(`<b>${renderInline(heading[1])}</b>`)
      continue
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line)
    if (bullet) {
      out.push(`${bullet[1]}• ${renderInline(bullet[2])}`)
      continue
    }
    out.push(renderInline(line))
  }
  const html = out.join('\n')
  return isWellNested(html) ? html : escapeHtml(markdown)
}

function isWellNested(html: string): boolean {
  const stack: string[] = []
  for (const match of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    if (match[1] === '') stack.push(match[2])
    else if (stack.pop() !== match[2]) return false
  }
  return stack.length === 0
}

/** The visible text of our HTML: tags removed, entities decoded (the plain-text fallback, §10.2). */
export function htmlToPlainText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|quot|amp);/g, (_m, name: string) => ({lt: '<', gt: '>', quot: '"', amp: '&'})[name]!)
}
