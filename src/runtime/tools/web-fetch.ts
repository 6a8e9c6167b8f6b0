import {lookup} from 'node:dns/promises'
import {isIP} from 'node:net'

import {isBlockedAddress} from './address-policy.js'
import {intArg, stringArg, textOutput, ToolError, type Tool, type ToolContext} from './tool.js'

const MAX_REDIRECTS = 5
const TIMEOUT_MS = 30_000
const MAX_BYTES = 5 * 1024 * 1024

async function checkTarget(url: URL, context: ToolContext): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToolError(`web_fetch refused: only http(s) URLs (got ${url.protocol})`)
  if (context.allowPrivateNetwork === true) return
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) !== 0 ? [host] : (await lookup(host, {all: true}).catch(() => {
    throw new ToolError(`web_fetch failed: cannot resolve ${host}`)
  })).map((a) => a.address)
  const blocked = addresses.find(isBlockedAddress)
  if (blocked !== undefined) throw new ToolError(`web_fetch refused: ${host} resolves to a private, loopback or link-local address (${blocked})`)
}

async function readCapped(response: Response): Promise<{text: string; truncated: boolean}> {
  const reader = response.body?.getReader()
  if (reader === undefined) return {text: '', truncated: false}
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
    if (size >= MAX_BYTES) {
      truncated = true
      await reader.cancel()
      break
    }
  }
  return {text: Buffer.concat(chunks).subarray(0, MAX_BYTES).toString('utf8'), truncated}
}

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' '}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/** A small HTML reduction: drops scripts/styles, keeps headings, links and paragraphs as markdown or plain text. */
export function htmlToText(html: string, mode: 'markdown' | 'text'): string {
  let body = html.replace(/<(script|style|noscript|svg|head)[\s\S]*?<\/\1>/gi, '').replace(/<!--[\s\S]*?-->/g, '')
  if (mode === 'markdown') {
    body = body
      .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_m, level: string, inner: string) => `\n\n${'#'.repeat(Number(level))} ${inner}\n\n`)
      .replace(/<a\s[^>]*href\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, inner: string) => `[${inner}](${href})`)
      .replace(/<li[^>]*>/gi, '\n- ')
  }
  body = body.replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6]|p|div|tr)[^>]*>/gi, '\n').replace(/<[^>]+>/g, '')
  return decodeEntities(body).replace(/[ \t]+/g, ' ').replace(/\n\s*\n\s*\n+/g, '\n\n').trim()
}

/** `web_fetch` (runtime.md §8.7): private targets refused after DNS and on every redirect (≤ 5); 30 s; 5 MB. */
export const webFetchTool: Tool = {
  name: 'web_fetch',
  group: 'web',
  description: 'Fetch a public http(s) URL and return its content as markdown or text.',
  parameters: {
    type: 'object',
    properties: {
      url: {type: 'string', description: 'http(s) URL'},
      extractMode: {type: 'string', enum: ['markdown', 'text'], description: 'How HTML is reduced (default markdown)'},
      maxChars: {type: 'integer', minimum: 100, maximum: 50_000, description: 'Max characters returned (default 20000)'},
    },
    required: ['url'],
  },
  async run(args, context) {
    const raw = stringArg(args, 'url', {})
    const mode = args.extractMode === 'text' ? 'text' : 'markdown'
    const maxChars = intArg(args, 'maxChars', 100, 50_000) ?? 20_000
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new ToolError(`invalid URL: ${raw}`)
    }
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(TIMEOUT_MS)])
    let response: Response | undefined
    for (let hop = 0; ; hop++) {
      await checkTarget(url, context)
      try {
        response = await fetch(url, {redirect: 'manual', signal, headers: {'user-agent': 'openclaw-web-fetch/1', accept: 'text/html,text/plain,application/json;q=0.9,*/*;q=0.5'}})
      } catch (error) {
        if (context.signal.aborted) throw new ToolError('aborted')
        throw new ToolError(`web_fetch failed: ${signal.aborted ? `timed out after ${TIMEOUT_MS / 1000}s` : ((error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message)}`)
      }
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || location === null) break
      if (hop >= MAX_REDIRECTS) throw new ToolError(`web_fetch failed: more than ${MAX_REDIRECTS} redirects`)
      url = new URL(location, url)
    }
    const {text, truncated} = await readCapped(response)
    const type = response.headers.get('content-type') ?? ''
    const body = /html/i.test(type) || /^\s*<(!doctype|html)/i.test(text) ? htmlToText(text, mode) : text
    const cut = body.length > maxChars ? `${body.slice(0, maxChars)}\n[… ${body.length - maxChars} more characters; raise maxChars (max 50000) …]` : body
    const header = `${response.status} ${url.href}${truncated ? ' (body cut at 5 MB)' : ''}`
    return textOutput(`${header}\n\n${cut}`, response.status >= 400)
  },
}
