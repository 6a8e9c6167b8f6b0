// Agent benchmarks (issue 7 item 12): turns through the real `openclaw gateway run` against an
// instant fake model (OpenAI SSE on 127.0.0.1), and the `agent --local` one-shot. Loopback only;
// every loop is bounded in count.
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import {createRequire} from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {buildSync} from 'esbuild'
import WebSocket from 'ws'

import {printTable, stats} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const TOKEN = 'bench-agent-token'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const CHUNK = (delta) => `data: ${JSON.stringify({id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{index: 0, delta, finish_reason: null}]})}\n\n`
const SSE = CHUNK({role: 'assistant', content: 'hi'}) +
  `data: ${JSON.stringify({id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{index: 0, delta: {}, finish_reason: 'stop'}]})}\n\n` +
  `data: ${JSON.stringify({id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [], usage: {prompt_tokens: 10, completion_tokens: 1, total_tokens: 11}})}\n\ndata: [DONE]\n\n`

/** An OpenAI-compatible server that answers every request at once with "hi". */
export function instantModel() {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, {'content-type': 'text/event-stream'}).end(SSE))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

export function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
}

/** CPU time (user + system, ms) a process has used so far: a load-independent cost of its work. */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export function makeHome(modelPort, gatewayPort) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-agent-'))
  const state = path.join(home, '.openclaw')
  mkdirSync(path.join(home, 'tmp'), {recursive: true})
  mkdirSync(state, {mode: 0o700})
  writeFileSync(path.join(state, 'openclaw.json'), JSON.stringify({
    gateway: {mode: 'local', port: gatewayPort, auth: {token: TOKEN}},
    models: {mode: 'replace', providers: {fake: {baseUrl: `http://127.0.0.1:${modelPort}/v1`, apiKey: 'bench', models: [{id: 'm', name: 'M'}]}}},
    agents: {defaults: {model: 'fake/m', maxConcurrent: 20}},
    logging: {level: 'warn'},
  }))
  return {home, env: {PATH: process.env.PATH, HOME: home, TMPDIR: path.join(home, 'tmp'), OPENCLAW_OFFLINE: '1'}}
}

/** A ws client whose `agent` call resolves with the final response (the accepted one is skipped). */
export function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {perMessageDeflate: false})
    const pending = new Map()
    let next = 0
    ws.on('error', reject)
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        ws.send(JSON.stringify({type: 'req', id: 'c', method: 'connect', params: {minProtocol: 3, maxProtocol: 4, client: {id: 'cli', version: '0.0.0', platform: process.platform, mode: 'cli'}, role: 'operator', scopes: ['operator.write'], caps: [], auth: {token: TOKEN}}}))
      } else if (frame.type === 'res' && frame.id === 'c') {
        if (frame.ok) resolve({agent: (params) => new Promise((res, rej) => {
          const id = `a${++next}`
          pending.set(id, {res, rej})
          ws.send(JSON.stringify({type: 'req', id, method: 'agent', params}))
        }), close: () => ws.close()})
        else reject(new Error(frame.error?.message))
      } else if (frame.type === 'res' && !(frame.ok && frame.payload?.status === 'accepted')) {
        const p = pending.get(frame.id)
        pending.delete(frame.id)
        if (frame.ok) p?.res(frame.payload)
        else p?.rej(new Error(frame.error?.message))
      }
    })
  })
}

/** Spawns `openclaw gateway run` with `env` and resolves once a client is connected to `port`. */
export async function startGateway(env, port) {
  const child = spawn(process.execPath, [...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean), bin, 'gateway', 'run'], {env, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const client = await connect(`ws://127.0.0.1:${port}`).catch(() => undefined)
    if (client) return {child, client}
    await sleep(20)
  }
  child.kill('SIGKILL')
  throw new Error(`gateway did not start: ${stderr}`)
}

/** Load yardsticks printed with the figures: the machine is shared, so read them against these. */
function loadNow() {
  const t = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return {load1: os.loadavg()[0], nodeE0Ms: performance.now() - t}
}

/** Transcript appends through the real store (user line + final answer, both fsynced per §5.4). */
async function appendThroughput(root, quick) {
  const bundle = path.join(root, 'store.cjs')
  buildSync({entryPoints: [fileURLToPath(new URL('./sessions-entry.ts', import.meta.url))], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent'})
  const {createFileSessionStore} = createRequire(import.meta.url)(bundle)
  const store = createFileSessionStore(path.join(root, 'append'), {agentId: 'main', cwd: root})
  const message = (role, text) => ({type: 'message', message: role === 'user' ? {role, content: [{type: 'text', text}], timestamp: Date.now()} : {role, content: [{type: 'text', text}], api: 'bench', provider: 'bench', model: 'bench', usage: {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2}, stopReason: 'stop'}})
  const keys = Array.from({length: 20}, (_, i) => `agent:main:a${i}`)
  for (const key of keys) await store.ensure(key, {agentId: 'main', cwd: root})
  const perSession = quick ? 10 : 50
  const t = performance.now()
  await Promise.all(keys.map(async (key) => {
    for (let i = 0; i < perSession; i++) {
      await store.append(key, message('user', `m${i}`))
      await store.append(key, message('assistant', `r${i}`), {fsync: true})
    }
  }))
  return (keys.length * perSession * 2) / ((performance.now() - t) / 1000)
}

export async function benchAgent({quick = false} = {}) {
  // The rows: 500 sequential turns (p50/p99), turns/s with 20 sessions, RSS after 100 and
  // after 1000 turns, transcript append throughput, `agent --local` wall. --quick: fewer turns.
  const turns = quick ? 100 : 500
  const parallelTurns = quick ? 200 : 480 // 20 warm-up + 500 + 480 = 1000 turns in all
  const model = await instantModel()
  const gatewayPort = await freePort()
  const {home, env} = makeHome(model.address().port, gatewayPort)
  const missed = []
  const {child, client} = await startGateway(env, gatewayPort)
  try {
    let n = 0
    let rss100 = 0
    const turn = async (c, session) => {
      const t = performance.now()
      const final = await c.agent({message: 'hi', idempotencyKey: `k${++n}`, sessionKey: session})
      if (final.status !== 'ok') throw new Error(`turn failed: ${JSON.stringify(final)}`)
      if (n === 100) rss100 = rssMb(child.pid)
      return performance.now() - t
    }
    for (let i = 0; i < 20; i++) await turn(client, 'agent:main:warm')
    const loadBefore = loadNow()
    const cpuSeq = cpuMs(child.pid)
    const latency = stats(await (async () => {
      const times = []
      for (let i = 0; i < turns; i++) times.push(await turn(client, 'agent:main:latency'))
      return times
    })())
    const cpuPerSeqTurn = (cpuMs(child.pid) - cpuSeq) / turns
    const clients = await Promise.all(Array.from({length: 20}, () => connect(`ws://127.0.0.1:${gatewayPort}`)))
    const cpuPar = cpuMs(child.pid)
    const began = performance.now()
    await Promise.all(clients.map(async (c, i) => {
      for (let j = 0; j < parallelTurns / 20; j++) await turn(c, `agent:main:s${i}`)
    }))
    const perSecond = parallelTurns / ((performance.now() - began) / 1000)
    const cpuPerParTurn = (cpuMs(child.pid) - cpuPar) / parallelTurns
    for (const c of clients) c.close()
    const rssEnd = rssMb(child.pid)
    const turnsEnd = n
    // `--local` takes the state lock the gateway holds: stop the gateway first.
    client.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    const appendsPerSecond = await appendThroughput(home, quick)
    // Async spawns: the fake model answers from this process, so it must not block.
    const localTimes = []
    const tailTimes = []
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      const t = performance.now()
      let lastOutput = t
      const code = await new Promise((resolve) => {
        const p = spawn(process.execPath, [bin, 'agent', '--local', '-m', 'hi', '--session-key', 'agent:main:local'], {env, stdio: ['ignore', 'pipe', 'ignore']})
        p.stdout.on('data', () => (lastOutput = performance.now()))
        p.once('close', resolve)
      })
      if (code !== 0) throw new Error(`agent --local exited ${code}`)
      const end = performance.now()
      localTimes.push(end - t)
      tailTimes.push(end - lastOutput)
    }
    const loadAfter = loadNow()
    const local = stats(localTimes)
    const tail = stats(tailTimes)
    const rows = [
      [`agent RPC request → final, p50 over ${turns} turns (ms)`, latency.median.toFixed(2), '≤ 5', latency.median <= 5],
      [`agent RPC request → final, p99 over ${turns} turns (ms)`, latency.p99.toFixed(2), '≤ 20', latency.p99 <= 20],
      ['gateway CPU per sequential turn (ms)', cpuPerSeqTurn.toFixed(2), '', true],
      [`turns/s, 20 sessions in parallel (${parallelTurns} turns)`, perSecond.toFixed(0), '≥ 300', perSecond >= 300],
      ['gateway CPU per parallel turn (ms)', cpuPerParTurn.toFixed(2), '', true],
      ['RSS after 100 turns (MB)', rss100.toFixed(1), '', true],
      [`RSS after ${turnsEnd} turns (MB)`, rssEnd.toFixed(1), '≤ +20 MB', rssEnd - rss100 <= 20],
      ['transcript appends/s, 20 sessions (each line fsynced)', appendsPerSecond.toFixed(0), '', true],
      ['agent --local -m hi wall, median (ms)', local.median.toFixed(0), '≤ 400', local.median <= 400],
      ['agent --local final output → exit, median (ms)', tail.median.toFixed(0), '≤ 100', tail.median <= 100],
    ]
    const load = (l) => `load ${l.load1.toFixed(1)}, node -e 0 ${l.nodeE0Ms.toFixed(0)} ms`
    console.log(`\nmachine before: ${load(loadBefore)}; after: ${load(loadAfter)}`)
    printTable(`agent (gateway against an instant fake model; ${turns} sequential turns)`, ['row', 'value', 'target', 'met'], rows.map((r) => [r[0], r[1], r[2], r[3] ? 'yes' : 'NO']))
    for (const r of rows) if (!r[3]) missed.push(`agent: ${r[0]}`)
  } finally {
    client.close()
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    model.close()
    rmSync(home, {recursive: true, force: true})
  }
  return missed
}
