// Gateway benchmarks against the real `openclaw gateway run` on 127.0.0.1: boot time, idle RSS,
// health RPC latency and throughput, 10,000 concurrent connections, SIGTERM → exit.
// Every loop is bounded in count and time; nothing leaves loopback.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {printTable} from './measure.mjs'
import {BENCH_TOKEN as TOKEN, connectClient, measureLatency} from './ws-client.mjs'
import {healthDuringFlood} from './flood.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
}

async function startGateway(home, port) {
  const env = {PATH: process.env.PATH, HOME: home, TMPDIR: path.join(home, 'tmp')}
  const start = performance.now()
  const child = spawn(process.execPath, [bin, 'gateway', 'run', '--port', String(port), '--token', TOKEN, '--allow-unconfigured'], {env, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const url = `ws://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  let accepted = null
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) {
      accepted = performance.now() - start
      break
    }
    await sleep(2)
  }
  if (accepted === null) throw new Error(`gateway did not listen: ${stderr}`)
  let client
  while (!client && Date.now() < deadline) {
    client = await connectClient(url).catch(() => undefined)
    if (!client) await sleep(5)
  }
  if (!client) throw new Error(`no hello-ok: ${stderr}`)
  const helloOk = performance.now() - start
  await client.call('health')
  const firstHealth = performance.now() - start
  client.close()
  return {child, url, accepted, helloOk, firstHealth, stderr: () => stderr}
}

// The gateway allows 32 unauthenticated sockets per client IP (protocol §1.1), so handshakes are
// opened in waves of 30 per source address, spread over several 127.0.0.x addresses.
const SOURCES = Array.from({length: 16}, (_, i) => `127.0.0.${i + 2}`)
const WAVE_PER_SOURCE = 30

async function openMany(url, count) {
  const conns = []
  while (conns.length < count) {
    const wave = []
    for (const localAddress of SOURCES) {
      for (let i = 0; i < WAVE_PER_SOURCE && conns.length + wave.length < count; i++) wave.push(connectClient(url, {timeoutMs: 30_000, localAddress}))
    }
    conns.push(...(await Promise.all(wave)))
  }
  return conns
}

async function throughput(url, clients, seconds) {
  const conns = await openMany(url, clients)
  const end = performance.now() + seconds * 1000
  let done = 0
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      await c.call('health')
      done++
    }
  }))
  conns.forEach((c) => c.close())
  return done / seconds
}

async function manyConnections(url, pid, count) {
  const before = rssMb(pid)
  const start = performance.now()
  const conns = await openMany(url, count)
  const openMs = performance.now() - start
  await sleep(1000)
  const open = rssMb(pid)
  const check = await connectClient(url)
  await check.call('health')
  check.close()
  for (const c of conns) c.ws.terminate()
  await sleep(3000)
  return {count: conns.length, openMs, before, open, after: rssMb(pid)}
}

export async function benchGateway({quick = false} = {}) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-gw-'))
  const rows = []
  const failures = []
  const row = (name, value, target, ref, ok) => {
    if (!ok) failures.push(name)
    rows.push([name, value, target, ref, ok ? 'ok' : 'MISS'])
  }
  const gw = await startGateway(home, await freePort())
  try {
    row('boot: spawn → port accepts', `${gw.accepted.toFixed(0)} ms`, '-', '-', true)
    row('boot: spawn → hello-ok', `${gw.helloOk.toFixed(0)} ms`, '≤ 300 ms', '8656 ms', gw.helloOk <= 300)
    row('boot: spawn → first health ok', `${gw.firstHealth.toFixed(0)} ms`, '-', '-', true)
    await sleep(quick ? 2000 : 10_000)
    const idle = rssMb(gw.child.pid)
    row(`idle RSS (${quick ? 2 : 10} s after ready)`, `${idle.toFixed(1)} MB`, '≤ 60 MB', '761 MB', idle <= 60)
    const lat = await measureLatency(gw.url, {warmup: 200, count: 2000})
    row('health p50 (2000 sequential)', `${lat.median.toFixed(3)} ms`, '≤ 0.2 ms', '0.87 ms', lat.median <= 0.2)
    row('health p99 (2000 sequential)', `${lat.p99.toFixed(3)} ms`, '≤ 1 ms', '4.69 ms', lat.p99 <= 1)
    const rps = await throughput(gw.url, 50, quick ? 3 : 10)
    row(`health throughput (50 clients, ${quick ? 3 : 10} s)`, `${Math.round(rps)} req/s`, '≥ 20000', '1989', rps >= 20_000)
    const flood = await healthDuringFlood(gw.url, Number(new URL(gw.url).port), {frames: quick ? 20_000 : 100_000})
    row(`health p99 during a ${quick ? '20k' : '100k'}-frame + 100 config.schema flood`, `${flood.p99.toFixed(1)} ms (n=${flood.count}, flood ${(flood.floodMs / 1000).toFixed(1)} s)`, '≤ 100 ms', '-', flood.p99 <= 100)
    const many = await manyConnections(gw.url, gw.child.pid, quick ? 2000 : 10_000)
    row(`${many.count} connections: time to open`, `${(many.openMs / 1000).toFixed(2)} s`, '-', '-', true)
    row(`${many.count} connections: RSS open (above idle)`, `${many.open.toFixed(1)} MB (+${(many.open - many.before).toFixed(1)})`, '≤ +100 MB', '~85 MB/5000', many.open - many.before <= 100)
    row(`${many.count} connections: RSS after close`, `${many.after.toFixed(1)} MB`, '-', '-', true)
  } finally {
    const t = performance.now()
    const exited = new Promise((resolve) => gw.child.once('exit', (code) => resolve(code)))
    gw.child.kill('SIGTERM')
    const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout')])
    const ms = performance.now() - t
    row('SIGTERM → exit (idle)', `${ms.toFixed(0)} ms (exit ${code})`, '≤ 100 ms', '376 ms', ms <= 100 && code === 0)
    if (code === 'timeout') gw.child.kill('SIGKILL')
    rmSync(home, {recursive: true, force: true})
  }
  printTable('Gateway (127.0.0.1; reference OpenClaw 2026.9 figures from the issue in "ref")', ['measure', 'value', 'target', 'ref', ''], rows)
  return failures
}
