/**
 * A WebSocket client on a bare TCP socket for load tests: it writes pre-framed requests in bulk
 * and never parses what comes back (a `ws` client in the test process would spend the loop time
 * the test is measuring). Frames are masked with a zero key, so the payload bytes are as given.
 */
import net from 'node:net'

/** One client→server text frame (FIN, opcode 1, masked with key 0). */
export function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8')
  const n = payload.length
  const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : n < 65536 ? Buffer.from([0x81, 0x80 | 126, n >> 8, n & 255]) : Buffer.alloc(10)
  if (n >= 65536) {
    head[0] = 0x81
    head[1] = 0x80 | 127
    head.writeBigUInt64BE(BigInt(n), 2)
  }
  return Buffer.concat([head, Buffer.alloc(4), payload])
}

export interface RawClient {
  socket: net.Socket
  /** Everything received so far, as latin1 text (for substring checks only). */
  received(): string
  /** Resolves once the received text contains `marker` (bounded). */
  waitFor(marker: string, timeoutMs?: number): Promise<void>
}

/** Upgrades, answers the challenge with `connect`, and waits for hello-ok. */
export async function rawConnect(port: number, connectParams: Record<string, unknown>, localAddress?: string): Promise<RawClient> {
  const socket = net.connect({port, host: '127.0.0.1', localAddress})
  let text = ''
  const seen = new Set<string>()
  const waiters = new Map<string, () => void>()
  socket.on('data', (chunk: Buffer) => {
    const window = text.slice(-512) + chunk.toString('latin1')
    // Keep only a tail (100k answers must not pile up); markers are matched across chunk edges.
    text = window.slice(-8192)
    for (const [marker, wake] of waiters) {
      if (window.includes(marker)) {
        seen.add(marker)
        wake()
      }
    }
  })
  socket.on('error', () => undefined)
  const waitFor = (marker: string, timeoutMs = 10_000): Promise<void> => new Promise((resolve, reject) => {
    if (seen.has(marker) || text.includes(marker)) {
      resolve()
      return
    }
    const timer = setTimeout(() => {
      waiters.delete(marker)
      reject(new Error(`no ${marker} within ${timeoutMs} ms; got ${text.slice(-300)}`))
    }, timeoutMs)
    waiters.set(marker, () => {
      waiters.delete(marker)
      clearTimeout(timer)
      resolve()
    })
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
  await waitFor('connect.challenge')
  socket.write(clientTextFrame(JSON.stringify({type: 'req', id: 'connect-1', method: 'connect', params: connectParams})))
  await waitFor('hello-ok')
  return {socket, received: () => text, waitFor}
}
