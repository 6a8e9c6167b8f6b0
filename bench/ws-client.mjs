// The bench's protocol client (challenge → connect → hello-ok, then req/res by id) and the
// sequential-latency measurement, shared by the gateway suite and the bare-ws floor suite.
import v8 from 'node:v8'
import WebSocket from 'ws'

import {connectLean} from './lean-client.mjs'
import {stats} from './measure.mjs'

export const BENCH_TOKEN = 'bench-token-0123456789'

/** `connect` params of every bench client: a loopback CLI operator with read scope. */
const CONNECT_PARAMS = {
  minProtocol: 3, maxProtocol: 4, client: {id: 'cli', version: 'bench', platform: process.platform, mode: 'cli'},
  role: 'operator', scopes: ['operator.read'], auth: {token: BENCH_TOKEN},
}

/** One protocol client: challenge → connect → hello-ok; then `call(method)` resolves with the payload. */
export function connectClient(url, {timeoutMs = 10_000, localAddress} = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {perMessageDeflate: false, localAddress})
    const pending = new Map()
    let next = 0
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error('handshake timeout'))
    }, timeoutMs)
    const client = {
      ws,
      call(method, params = {}) {
        const id = `r${++next}`
        ws.send(JSON.stringify({type: 'req', id, method, params}))
        return new Promise((res, rej) => pending.set(id, {res, rej}))
      },
      close: () => ws.close(),
    }
    ws.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        ws.send(JSON.stringify({type: 'req', id: 'c', method: 'connect', params: CONNECT_PARAMS}))
      } else if (frame.type === 'res' && frame.id === 'c') {
        clearTimeout(timer)
        if (frame.ok) resolve(client)
        else reject(new Error(`connect refused: ${frame.error?.message}`))
      } else if (frame.type === 'res') {
        const p = pending.get(frame.id)
        pending.delete(frame.id)
        if (frame.ok) p?.res(frame.payload)
        else p?.rej(new Error(frame.error?.message))
      }
    })
  })
}

/**
 * `count` sequential `health` round trips on a fresh connection after `warmup` unmeasured ones;
 * returns stats in ms. The instrument is kept quiet, the same for any server:
 * - the lean client (lean-client.mjs) instead of `ws`, which ran ~0.04 ms of its own JavaScript
 *   per round trip (Receiver/Sender streams) when not optimized;
 * - the client's V8 optimizing compiler paused while measuring: its compile jobs (background
 *   threads on a 2-core machine, deopts as the fresh socket brings new object shapes) landed
 *   inside the measured round trips. A bare ws echo server measured p99 1.5–2.1 ms with them and
 *   0.8–1.0 ms without (the rest is the echo server's own compiles: 0.3 ms when it has none).
 */
export async function measureLatency(url, {warmup = 200, count = 2000} = {}) {
  const client = await connectLean(url, CONNECT_PARAMS)
  const pause = !/--(no-)?(opt|turbofan)\b|--max-opt|--jitless/.test(process.execArgv.join(' '))
  if (pause) v8.setFlagsFromString('--no-opt')
  try {
    for (let i = 0; i < warmup; i++) await client.call('health')
    const times = []
    for (let i = 0; i < count; i++) {
      const t = performance.now()
      await client.call('health')
      times.push(performance.now() - t)
    }
    return stats(times)
  } finally {
    if (pause) v8.setFlagsFromString('--opt')
    client.close()
  }
}
