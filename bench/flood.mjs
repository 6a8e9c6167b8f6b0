// Fairness under a flood (issue 6): one authenticated client pipelines 100k tiny frames and then
// 100 `config.schema` over a bare TCP socket (pre-framed, answers discarded unparsed, so the
// bench process stays idle), while another client measures sequential `health` round trips.
import net from 'node:net'

import {BENCH_TOKEN, connectClient} from './ws-client.mjs'
import {stats} from './measure.mjs'

/** A client→server text frame, masked with a zero key. */
function frame(text) {
  const payload = Buffer.from(text)
  const n = payload.length
  const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 255])
  return Buffer.concat([head, Buffer.alloc(4), payload])
}

async function floodClient(port) {
  const socket = net.connect(port, '127.0.0.1')
  let tail = ''
  const markers = new Map()
  // A marker is matched across chunk edges, before the kept tail drops the chunk's head.
  const seen = (marker) => {
    if (!markers.has(marker)) markers.set(marker, tail.includes(marker))
    return markers.get(marker)
  }
  socket.on('data', (chunk) => {
    const window = tail.slice(-512) + chunk.toString('latin1')
    for (const [marker, found] of markers) if (!found && window.includes(marker)) markers.set(marker, true)
    tail = window.slice(-8192)
  })
  socket.on('error', () => undefined)
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
  while (!seen('connect.challenge')) await new Promise((r) => setTimeout(r, 5))
  const params = {minProtocol: 3, maxProtocol: 4, client: {id: 'cli', version: 'bench', platform: process.platform, mode: 'cli'}, role: 'operator', scopes: ['operator.read'], auth: {token: BENCH_TOKEN}}
  socket.write(frame(JSON.stringify({type: 'req', id: 'c', method: 'connect', params})))
  while (!seen('hello-ok')) await new Promise((r) => setTimeout(r, 5))
  return {socket, seen}
}

/** Returns health latency stats (ms) measured while the flood runs, and how long the flood took. */
export async function healthDuringFlood(url, port, {frames = 100_000, schemas = 100, timeoutMs = 60_000} = {}) {
  const observer = await connectClient(url)
  const flood = await floodClient(port)
  const burst = []
  for (let i = 0; i < frames; i++) burst.push(frame(`{"type":"req","id":"t${i}","method":"no.such"}`))
  for (let i = 0; i < schemas; i++) burst.push(frame(`{"type":"req","id":"s${i}","method":"config.schema"}`))
  const start = performance.now()
  flood.socket.write(Buffer.concat(burst))
  const samples = []
  const last = `"id":"s${schemas - 1}"`
  while (!flood.seen(last) && performance.now() - start < timeoutMs) {
    const t = performance.now()
    await observer.call('health')
    samples.push(performance.now() - t)
  }
  const floodMs = performance.now() - start
  flood.socket.destroy()
  observer.close()
  return {...stats(samples), floodMs, count: samples.length}
}
