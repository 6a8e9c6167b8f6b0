// The environment's floor for the gateway latency rows: the same client and procedure (fresh
// process, 10 s idle, 200 warm-up + 2000 sequential calls) against a bare ws echo server, so a
// gateway figure can be read against what any Node ws server gets on this machine.
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {printTable} from './measure.mjs'
import {measureLatency} from './ws-client.mjs'

const server = fileURLToPath(new URL('./ws-echo-server.mjs', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export async function benchWsFloor({quick = false} = {}) {
  const child = spawn(process.execPath, [server], {stdio: ['ignore', 'pipe', 'inherit']})
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('echo server did not start')), 10_000)
      child.stdout.once('data', (d) => {
        clearTimeout(timer)
        resolve(Number(String(d).trim()))
      })
    })
    await sleep(quick ? 2000 : 10_000)
    const lat = await measureLatency(`ws://127.0.0.1:${port}`)
    printTable('Floor: bare ws echo server, same client and procedure (127.0.0.1)', ['measure', 'value'], [
      ['p50 (2000 sequential)', `${lat.median.toFixed(3)} ms`],
      ['p99 (2000 sequential)', `${lat.p99.toFixed(3)} ms`],
    ])
  } finally {
    child.kill('SIGTERM')
  }
  return []
}
