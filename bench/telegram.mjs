// Telegram benchmarks (issue 10 item 12): the real `openclaw gateway run` against the fake Bot API and
// an instant echo model, both on 127.0.0.1. Rows: gateway start → first getUpdates; update in → reply
// sent (p50/p99); 500 DMs from 500 users at once under the real per-bot limit (rate, no over-limit
// second); the same burst with the limit raised by the bench-only OPENCLAW_BENCH_TELEGRAM_RATE_SCALE
// (the pipeline alone); gateway RSS with 2 idle bots and after the burst. Loopback only, bounded.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {build} from 'esbuild'

import {printTable, stats} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const BOTS = [{token: '700001:BenchBotOneBenchBotOneBenchBotOne12', id: 700001, username: 'bench_one_bot'}, {token: '700002:BenchBotTwoBenchBotTwoBenchBotTwo12', id: 700002, username: 'bench_two_bot'}]
/** The per-bot global bucket of telegram.md §10.6 (requests/s). */
const BOT_RATE = 25
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function loadFakes(dir) {
  const outfile = path.join(dir, 'telegram-entry.mjs')
  await build({entryPoints: [fileURLToPath(new URL('./telegram-entry.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent'})
  return import(pathToFileURL(outfile).href)
}

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** The process's CPU time so far (user + system, ms): the figure of merit on a shared machine. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
}

async function until(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench telegram: timed out waiting for ${what}`)
    await sleep(5)
  }
}

/** A temp home whose gateway polls both fake bots and answers DMs from anyone, one session per user. */
async function startGateway(root, name, fake, modelUrl, extraEnv = {}) {
  const home = path.join(root, name)
  const state = path.join(home, '.openclaw')
  mkdirSync(path.join(home, 'tmp'), {recursive: true})
  mkdirSync(state, {recursive: true, mode: 0o700})
  writeFileSync(path.join(state, 'openclaw.json'), JSON.stringify({
    gateway: {mode: 'local', port: await freePort(), auth: {token: 'bench'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: modelUrl, apiKey: 'bench', models: [{id: 'm', name: 'M', input: ['text']}]}}},
    agents: {defaults: {model: 'fake/m', maxConcurrent: 20}},
    session: {dmScope: 'per-channel-peer'},
    logging: {level: 'warn'},
    channels: {telegram: {apiRoot: fake.apiRoot, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', accounts: {one: {botToken: BOTS[0].token}, two: {botToken: BOTS[1].token}}}},
  }))
  const env = {PATH: process.env.PATH, HOME: home, TMPDIR: path.join(home, 'tmp'), OPENCLAW_OFFLINE: '1', ...extraEnv}
  const polls = () => fake.calls('getUpdates').length
  const before = polls()
  const spawnedAt = Date.now()
  const child = spawn(process.execPath, [...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean), bin, 'gateway', 'run', '--allow-unconfigured'], {env, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  await until(() => fake.calls('getUpdates').slice(before).some((c) => c.botId === BOTS[0].id) || child.exitCode !== null, 'the first getUpdates', 20_000)
  if (child.exitCode !== null) throw new Error(`gateway exited: ${stderr}`)
  const first = fake.calls('getUpdates').slice(before).find((c) => c.botId === BOTS[0].id)
  return {child, firstPollMs: first.receivedAt - spawnedAt, stop: async () => {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()))
  }}
}

/** `count` DMs from `count` different users at once to bot one; resolves when each has its reply. */
async function burst(fake, count, firstUser) {
  const sentBefore = fake.calls('sendMessage').length
  const began = Date.now()
  for (let i = 0; i < count; i++) fake.dm({from: {id: firstUser + i}, text: `burst ${firstUser + i}`, botId: BOTS[0].id})
  await until(() => fake.calls('sendMessage').length - sentBefore >= count, `${count} replies`, 120_000)
  const replies = fake.calls('sendMessage').slice(sentBefore)
  const unique = new Set(replies.map((c) => c.params.text))
  if (unique.size !== count || replies.some((c) => !c.ok)) throw new Error(`bench telegram: ${unique.size} distinct replies for ${count} DMs`)
  const last = Math.max(...replies.map((c) => c.receivedAt))
  // Every request of bot one that the limiter paces (sendMessage and sendChatAction), in arrival order.
  const paced = fake.calls(undefined, BOTS[0].id).filter((c) => c.receivedAt >= began && (c.method === 'sendMessage' || c.method === 'sendChatAction')).map((c) => c.receivedAt).sort((a, b) => a - b)
  let peakWindow = 0
  for (let i = 0, j = 0; i < paced.length; i++) {
    while (paced[i] - paced[j] >= 1000) j++
    peakWindow = Math.max(peakWindow, i - j + 1)
  }
  const seconds = (last - began) / 1000
  return {seconds, messagesPerSec: count / seconds, callsPerSec: paced.length / seconds, peakWindow}
}

export async function benchTelegram({quick = false} = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-telegram-'))
  const missed = []
  const rows = []
  const check = (label, value, ok, target) => {
    rows.push([label, value, target, ok ? 'ok' : 'MISSED'])
    if (!ok) missed.push(`telegram ${label}`)
  }
  try {
    const {startFakeTelegram, startEchoModel} = await loadFakes(root)
    const fake = await startFakeTelegram({bots: BOTS, holdMs: 1000})
    const model = await startEchoModel()
    const dms = quick ? 200 : 500

    // Real limits: start time, idle RSS, the 500-DM burst paced by the per-bot limit, RSS after.
    const real = await startGateway(root, 'real', fake, model.openaiBaseUrl)
    await until(() => fake.calls('getUpdates').some((c) => c.botId === BOTS[1].id), 'bot two polling', 10_000)
    await sleep(1000)
    const idleRss = rssMb(real.child.pid)
    const cpuPacedAt = cpuMs(real.child.pid)
    const paced = await burst(fake, dms, 100_000)
    const cpuPaced = (cpuMs(real.child.pid) - cpuPacedAt) / dms
    const afterRss = rssMb(real.child.pid)
    await real.stop()

    // Limit raised (bench-only): per-message latency one at a time, then the pipeline's own rate.
    const fast = await startGateway(root, 'fast', fake, model.openaiBaseUrl, {OPENCLAW_BENCH_TELEGRAM_RATE_SCALE: '1000'})
    for (let i = 0; i < 20; i++) await burst(fake, 1, 200_000 + i)
    const latencies = []
    const cpuLatencyAt = cpuMs(fast.child.pid)
    for (let i = 0; i < (quick ? 200 : 500); i++) {
      const user = 300_000 + (i % 50)
      const text = `latency ${i}`
      const t0 = Date.now()
      fake.dm({from: {id: user}, text, botId: BOTS[0].id})
      const reply = await fake.waitFor('sendMessage', (c) => c.params.text === `re: ${text}`, 10_000)
      latencies.push(reply.receivedAt - t0)
    }
    const cpuLatency = (cpuMs(fast.child.pid) - cpuLatencyAt) / latencies.length
    const cpuPipelineAt = cpuMs(fast.child.pid)
    const fakesAt = process.cpuUsage()
    const pipeline = await burst(fake, dms, 400_000)
    const cpuPipeline = (cpuMs(fast.child.pid) - cpuPipelineAt) / dms
    const fakesCpu = process.cpuUsage(fakesAt)
    await fast.stop()
    await fake.close()
    await model.close()

    const lat = stats(latencies)
    const load = os.loadavg()[0].toFixed(2)
    const t = Date.now()
    await new Promise((r) => spawn(process.execPath, ['-e', '0']).once('exit', r))
    const nodeZero = Date.now() - t
    check('start → first getUpdates', `${real.firstPollMs} ms`, real.firstPollMs <= 1000, '≤ 1000 ms')
    check('in → reply p50', `${lat.median} ms`, lat.median <= 10, '≤ 10 ms')
    check('in → reply p99', `${lat.p99} ms`, lat.p99 <= 50, '≤ 50 ms')
    check(`${dms} DMs at once, real limit: paced calls/s`, `${paced.callsPerSec.toFixed(1)} (${paced.messagesPerSec.toFixed(1)} msg/s)`, paced.callsPerSec >= 0.9 * BOT_RATE, `≥ ${0.9 * BOT_RATE}`)
    check(`${dms} DMs: busiest 1 s window`, `${paced.peakWindow} calls`, paced.peakWindow <= 2 * BOT_RATE, `≤ ${2 * BOT_RATE} (burst + rate: no 429)`)
    check(`${dms} DMs at once, limit raised: msg/s`, pipeline.messagesPerSec.toFixed(1), pipeline.messagesPerSec >= 300, '≥ 300')
    // Gateway CPU per message (user + system): the figure that wall-clock rows hide on a busy machine.
    rows.push(['gateway CPU per message, one at a time', `${cpuLatency.toFixed(2)} ms`, '-', ''])
    rows.push([`gateway CPU per message, ${dms} new users at once (limit raised)`, `${cpuPipeline.toFixed(2)} ms`, '-', ''])
    rows.push([`gateway CPU per message, ${dms} new users at once (real limit)`, `${cpuPaced.toFixed(2)} ms`, '-', ''])
    // The fake Bot API and echo model run in this process: their share shows the row above measures the gateway, not them.
    rows.push([`bench process (fakes) CPU per message, ${dms} at once (limit raised)`, `${((fakesCpu.user + fakesCpu.system) / 1000 / dms).toFixed(2)} ms`, '-', ''])
    check('RSS, 2 idle bots', `${idleRss.toFixed(1)} MB`, idleRss <= 70, '≤ 70 MB')
    check(`RSS after the ${dms}-DM run`, `${afterRss.toFixed(1)} MB`, afterRss <= 120, '≤ 120 MB')
    printTable(`telegram (load average ${load}, node -e 0: ${nodeZero} ms)`, ['measure', 'value', 'target', ''], rows)
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
  return missed
}
