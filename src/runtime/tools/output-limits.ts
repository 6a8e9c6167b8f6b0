/** Limits of runtime.md §8.7: a result keeps ≤ 30000 chars (head 20000 + tail 8000). */
export const RESULT_MAX_CHARS = 30_000
const RESULT_HEAD = 20_000
const RESULT_TAIL = 8000
/** `tool` events carry at most this many chars of a result. */
export const EVENT_MAX_CHARS = 4000

/** Cuts the middle of a long text: `[… 12345 characters omitted …]` between head and tail. */
export function capText(text: string, max = RESULT_MAX_CHARS, head = RESULT_HEAD, tail = RESULT_TAIL): string {
  if (text.length <= max) return text
  const omitted = text.length - head - tail
  return `${text.slice(0, head)}\n[… ${omitted} characters omitted …]\n${text.slice(text.length - tail)}`
}

/** A result text for a `tool` event: the first 4000 chars. */
export function capForEvent(text: string): string {
  return text.length <= EVENT_MAX_CHARS ? text : `${text.slice(0, EVENT_MAX_CHARS)}…`
}

/**
 * A byte-bounded tail buffer: exec keeps at most `limit` bytes per stream, dropping the oldest,
 * so the end of a long output (usually the error) survives.
 */
export class TailBuffer {
  private chunks: Buffer[] = []
  private size = 0
  dropped = 0

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0]
      const excess = this.size - this.limit
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.subarray(excess)
        this.size -= excess
        this.dropped += excess
      }
    }
  }

  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8')
    return this.dropped > 0 ? `[… ${this.dropped} earlier bytes dropped …]\n${body}` : body
  }
}
