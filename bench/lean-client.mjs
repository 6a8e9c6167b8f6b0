// A lean protocol client for the latency rows: RFC 6455 over one net.Socket (HTTP upgrade,
// masked text frames out, unfragmented frames in), one request in flight at a time. Per round
// trip it runs a fraction of the JavaScript the `ws` client runs (no Receiver/Sender streams),
// so the figure is mostly the server and the kernel. Bench tooling; loopback only.
import {createHash, randomBytes, randomFillSync} from 'node:crypto'
import net from 'node:net'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const OP_TEXT = 1
const OP_CLOSE = 8
const OP_PING = 9
const OP_PONG = 10

/** Opens `url` (ws://host:port), completes the challenge → connect handshake with `connect` params. */
export function connectLean(url, connect, {timeoutMs = 10_000} = {}) {
  const {hostname, port} = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect({host: hostname.replace(/^\[|\]$/g, ''), port: Number(port)})
    const key = randomBytes(16).toString('base64')
    const masks = Buffer.alloc(4096)
    let maskAt = masks.length
    let pending = Buffer.alloc(0)
    let upgraded = false
    let waiter
    let next = 0
    const fail = (error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(error)
      waiter?.reject(error)
    }
    const timer = setTimeout(() => fail(new Error('handshake timeout')), timeoutMs)

    const send = (opcode, payload) => {
      if (maskAt === masks.length) {
        randomFillSync(masks)
        maskAt = 0
      }
      const n = payload.length
      const head = n < 126 ? 2 : n < 65536 ? 4 : 10
      const frame = Buffer.allocUnsafe(head + 4 + n)
      frame[0] = 0x80 | opcode
      if (n < 126) frame[1] = 0x80 | n
      else if (n < 65536) {
        frame[1] = 0x80 | 126
        frame.writeUInt16BE(n, 2)
      } else {
        frame[1] = 0x80 | 127
        frame.writeBigUInt64BE(BigInt(n), 2)
      }
      masks.copy(frame, head, maskAt, maskAt + 4)
      for (let i = 0; i < n; i++) frame[head + 4 + i] = payload[i] ^ masks[maskAt + (i & 3)]
      maskAt += 4
      socket.write(frame)
    }
    const onText = (text) => {
      const frame = JSON.parse(text)
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        send(OP_TEXT, Buffer.from(JSON.stringify({type: 'req', id: 'c', method: 'connect', params: connect})))
      } else if (frame.type === 'res' && frame.id === 'c') {
        clearTimeout(timer)
        if (frame.ok) resolve(client)
        else fail(new Error(`connect refused: ${frame.error?.message}`))
      } else if (frame.type === 'res' && waiter?.id === frame.id) {
        const w = waiter
        waiter = undefined
        if (frame.ok) w.resolve(frame.payload)
        else w.reject(new Error(frame.error?.message))
      }
    }
    const onFrames = () => {
      while (pending.length >= 2) {
        const opcode = pending[0] & 0x0f
        if ((pending[0] & 0x80) === 0 || (pending[1] & 0x80) !== 0) return fail(new Error('unexpected fragmented or masked frame'))
        let n = pending[1] & 0x7f
        let at = 2
        if (n === 126) {
          if (pending.length < 4) return
          n = pending.readUInt16BE(2)
          at = 4
        } else if (n === 127) {
          if (pending.length < 10) return
          n = Number(pending.readBigUInt64BE(2))
          at = 10
        }
        if (pending.length < at + n) return
        const payload = pending.subarray(at, at + n)
        pending = pending.subarray(at + n)
        if (opcode === OP_TEXT) onText(payload.toString('utf8'))
        else if (opcode === OP_PING) send(OP_PONG, payload)
        else if (opcode === OP_CLOSE) return fail(new Error('server closed the connection'))
      }
    }
    socket.setNoDelay(true)
    socket.on('error', fail)
    socket.on('connect', () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    })
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = pending.subarray(0, end).toString('latin1')
        const accept = createHash('sha1').update(key + GUID).digest('base64')
        if (!/^HTTP\/1\.1 101 /.test(head) || !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) return fail(new Error(`upgrade refused: ${head.split('\r\n')[0]}`))
        upgraded = true
        pending = pending.subarray(end + 4)
      }
      onFrames()
    })

    const client = {
      /** One request; resolves with the payload of its response (one call in flight at a time). */
      call(method, params = {}) {
        const id = `r${++next}`
        return new Promise((res, rej) => {
          waiter = {id, resolve: res, reject: rej}
          send(OP_TEXT, Buffer.from(JSON.stringify({type: 'req', id, method, params})))
        })
      },
      close() {
        send(OP_CLOSE, Buffer.from([0x03, 0xe8]))
        socket.end()
      },
    }
  })
}
