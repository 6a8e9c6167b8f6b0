// Agent benchmarks (issue 7 item 12): turns through the real `openclaw gateway run` against an
// instant fake model (OpenAI SSE on 127.0.0.1), and the `agent --local` one-shot. Loopback only;
// every loop is bounded in count.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

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

async function startGateway(env, port) {
  const child = spawn(process.execPath, [bin, 'gateway', 'run'], {env, stdio: ['ignore', 'ignore', 'pipe']})
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

export async function benchAgent({quick = false} = {}) {
  const turns = quick ? 100 : 500
  const model = await instantModel()
  const gatewayPort = await freePort()
  const {home, env} = makeHome(model.address().port, gatewayPort)
  const missed = []
  const {child, client} = await startGateway(env, gatewayPort)
  try {
    let n = 0
    const turn = async (c, session) => {
      const t = performance.now()
      const final = await c.agent({message: 'hi', idempotencyKey: `k${++n}`, sessionKey: session})
      if (final.status !== 'ok') throw new Error(`turn failed: ${JSON.stringify(final)}`)
      return performance.now() - t
    }
    for (let i = 0; i < 20; i++) await turn(client, 'agent:main:warm')
    const latency = stats(await (async () => {
      const times = []
      for (let i = 0; i < turns; i++) times.push(await turn(client, 'agent:main:latency'))
      return times
    })())
    const rss100 = rssMb(child.pid)
    const parallelTurns = quick ? 200 : 600
    const clients = await Promise.all(Array.from({length: 20}, () => connect(`ws://127.0.0.1:${gatewayPort}`)))
    const began = performance.now()
    await Promise.all(clients.map(async (c, i) => {
      for (let j = 0; j < parallelTurns / 20; j++) await turn(c, `agent:main:s${i}`)
    }))
    const perSecond = parallelTurns / ((performance.now() - began) / 1000)
    for (const c of clients) c.close()
    const extra = Math.max(0, 1000 - n)
    for (let i = 0; i < (quick ? 0 : extra); i++) await turn(client, `agent:main:soak${i % 20}`)
    const rss1000 = rssMb(child.pid)
    // `--local` takes the state lock the gateway holds: stop the gateway first.
    client.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
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
    const local = stats(localTimes)
    const tail = stats(tailTimes)
    const rows = [
      ['agent RPC request → final, p50 (ms)', latency.median.toFixed(2), '≤ 5', latency.median <= 5],
      ['agent RPC request → final, p99 (ms)', latency.p99.toFixed(2), '≤ 20', latency.p99 <= 20],
      ['turns/s, 20 sessions in parallel', perSecond.toFixed(0), '≥ 300', perSecond >= 300],
      [`RSS after ${turns + 20} turns (MB)`, rss100.toFixed(1), '', true],
      [`RSS after ${n} turns (MB)`, rss1000.toFixed(1), '≤ +20 MB', quick || rss1000 - rss100 <= 20],
      ['agent --local -m hi wall, median (ms)', local.median.toFixed(0), '≤ 400', local.median <= 400],
      ['agent --local final output → exit, median (ms)', tail.median.toFixed(0), '≤ 100', tail.median <= 100],
    ]
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
