import type {IncomingMessage} from 'node:http'

const ignore = () => undefined

/** Chunks queued before the response is paused (backpressure on a slow consumer). */
const HIGH_WATER = 16

/**
 * Pull-style reading of a response body as text chunks, straight from the IncomingMessage's
 * `data` events (UTF-8 decoded by `setEncoding`, which keeps a character split across chunks
 * whole). `onChunk` runs as each chunk arrives (an idle timer's reset). A promise is made only
 * when the consumer waits for bytes that have not come yet.
 */
export class ResponseChunks {
  private readonly queue: string[] = []
  private ended = false
  private failed: Error | undefined
  private wake: (() => void) | undefined
  private readonly onData = (chunk: string) => {
    this.onChunk()
    this.queue.push(chunk)
    if (this.queue.length >= HIGH_WATER) this.response.pause()
    this.notify()
  }
  private readonly onEnd = () => {
    this.ended = true
    this.notify()
  }
  private readonly onError = (error: Error) => {
    this.failed ??= error
    this.notify()
  }
  /** The socket closed before the body ended (a server gone mid-answer). */
  private readonly onClose = () => {
    if (!this.ended) this.onError(Object.assign(new Error('connection closed before the whole response'), {code: 'ECONNRESET'}))
  }

  constructor(private readonly response: IncomingMessage, private readonly onChunk: () => void = () => undefined) {
    response.setEncoding('utf8')
    response.on('data', this.onData)
    response.on('end', this.onEnd)
    response.on('error', this.onError)
    response.on('close', this.onClose)
  }

  /** The next chunk, or undefined at the end of the body; throws the stream's error. */
  async next(): Promise<string | undefined> {
    for (;;) {
      if (this.queue.length > 0) {
        const chunk = this.queue.shift()!
        if (this.queue.length === 0 && this.response.isPaused()) this.response.resume()
        return chunk
      }
      if (this.failed !== undefined) throw this.failed
      if (this.ended) return undefined
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }

  /** The rest of the body, up to `limit` characters (the request is then cut short by the caller). */
  async text(limit = Number.POSITIVE_INFINITY): Promise<string> {
    let out = ''
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) {
      out += chunk
      if (out.length >= limit) return out.slice(0, limit)
    }
    return out
  }

  /** Stops listening; the caller decides between draining (`resume`) and destroying. */
  detach(): void {
    this.response.off('data', this.onData)
    this.response.off('end', this.onEnd)
    this.response.off('error', this.onError)
    this.response.off('close', this.onClose)
    // A later error (the caller destroying the request) must not be an unhandled 'error' event.
    this.response.on('error', ignore)
    this.queue.length = 0
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
