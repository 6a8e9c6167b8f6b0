/** One Server-Sent Event: `event` is '' when the server sent only `data:` lines (OpenAI). */
export interface SseEvent {
  event: string
  data: string
}

/**
 * Incremental SSE parser (the WHATWG event-stream rules we need): lines end in `\n`, `\r\n` or
 * `\r`; a blank line dispatches; `data:` lines join with `\n`; `:` lines are comments; one leading
 * space after the colon is dropped. Feed text with `push`; `end` dispatches a final unterminated
 * event, which servers that close without a blank line send.
 */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []

  push(chunk: string): SseEvent[] {
    this.buffer += chunk
    const out: SseEvent[] = []
    const buffer = this.buffer
    let start = 0
    for (;;) {
      const lf = buffer.indexOf('\n', start)
      const cr = buffer.indexOf('\r', start)
      if (lf === -1 && cr === -1) break
      let end: number
      let next: number
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
        if (cr === buffer.length - 1) break
        end = cr
        next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1
      } else {
        end = lf
        next = lf + 1
      }
      const event = this.line(buffer.slice(start, end))
      start = next
      if (event !== undefined) out.push(event)
    }
    this.buffer = buffer.slice(start)
    return out
  }

  end(): SseEvent[] {
    const out = this.buffer === '' ? [] : this.push('\n')
    const last = this.line('')
    return last === undefined ? out : [...out, last]
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = ''
        return undefined
      }
      const event = {event: this.event, data: this.data.join('\n')}
      this.event = ''
      this.data = []
      return event
    }
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.event = value
    return undefined
  }
}
