// `agent` RPC params (operations.md §2.2, protocol.md §6.5): the real `openclaw gateway run` against an
// instant fake model and the fake Bot API, both on 127.0.0.1. Rows, interleaved A/B in the same minute:
// a turn to a chat (`to`, no delivery) vs the same turn with `deliver: true` (delivery markers + the Bot
// API send), p50/p99 and gateway CPU per turn; sendMessage calls per delivered turn (exactly once); a turn
// selected by `sessionId` among many sessions (the index scan). The Bot API limits are scaled up
// (OPENCLAW_BENCH_TELEGRAM_RATE_SCALE) so the pipeline, not Telegram's 25 requests/s, is measured.
// Loopback only; every loop is bounded in count.
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {build} from 'esbuild'

import {cpuMs, freePort, instantModel, startGateway} from './agent.mjs'
import {printTable, stats} from './measure.mjs'

const BOT = {token: '700003:BenchDeliverBenchDeliverBenchDeliv', id: 700003, username: 'bench_deliver_bot'}

function loadNow() {
  const t = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return `load ${os.loadavg()[0].toFixed(1)}, node -e 0 ${(performance.now() - t).toFixed(0)} ms`
}

async function startDeliverGateway(root, modelPort, apiRoot) {
  const port = await freePort()
  const home = path.join(root, 'home')
  const state = path.join(home, '.openclaw')
  mkdirSync(path.join(home, 'tmp'), {recursive: true})
  mkdirSync(state, {recursive: true, mode: 0o700})
  writeFileSync(path.join(state, 'openclaw.json'), JSON.stringify({
    gateway: {mode: 'local', port, auth: {token: 'bench-agent-token'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: `http://127.0.0.1:${modelPort}/v1`, apiKey: 'bench', models: [{id: 'm', name: 'M'}]}}},
    agents: {defaults: {model: 'fake/m', maxConcurrent: 20}},
    session: {dmScope: 'per-channel-peer'},
    channels: {telegram: {apiRoot, botToken: BOT.token, streaming: 'off', dmPolicy: 'allowlist', allowFrom: ['1']}},
    logging: {level: 'warn'},
  }))
  const env = {PATH: process.env.PATH, HOME: home, TMPDIR: path.join(home, 'tmp'), OPENCLAW_OFFLINE: '1', OPENCLAW_BENCH_TELEGRAM_RATE_SCALE: '1000'}
  return startGateway(env, port)
}

export async function benchAgentDeliver({quick = false} = {}) {
  const rounds = quick ? 40 : 150
  const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-deliver-'))
  const outfile = path.join(root, 'fakes.mjs')
  await build({entryPoints: [fileURLToPath(new URL('./telegram-entry.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent'})
  const {startFakeTelegram} = await import(pathToFileURL(outfile).href)
  const fake = await startFakeTelegram({bots: [BOT], holdMs: 1000})
  const model = await instantModel()
  const missed = []
  const {child, client} = await startDeliverGateway(root, model.address().port, fake.apiRoot)
  try {
    let n = 0
    const turn = async (params) => {
      const t = performance.now()
      const final = await client.agent({message: 'hi', idempotencyKey: `d${++n}`, ...params})
      if (final.status !== 'ok') throw new Error(`turn failed: ${JSON.stringify(final)}`)
      return {ms: performance.now() - t, final}
    }
    // Warm-up: both kinds, so lazy loads (grammY, the delivery path) are paid before measuring.
    for (let i = 0; i < 10; i++) {
      await turn({to: String(900_000 + i)})
      await turn({to: String(910_000 + i), deliver: true})
    }
    const before = loadNow()
    const plain = []
    const delivered = []
    let cpuPlain = 0
    let cpuDeliver = 0
    const sentBefore = fake.calls('sendMessage').length
    let notDelivered = 0
    // Interleaved: each round a fresh chat for each kind (a new session, as a first message from it would make).
    for (let i = 0; i < rounds; i++) {
      let c = cpuMs(child.pid)
      plain.push((await turn({to: String(1_000_000 + i)})).ms)
      cpuPlain += cpuMs(child.pid) - c
      c = cpuMs(child.pid)
      const d = await turn({to: String(2_000_000 + i), deliver: true})
      cpuDeliver += cpuMs(child.pid) - c
      delivered.push(d.ms)
      if (d.final.delivered !== true) notDelivered++
    }
    const sendsPerTurn = (fake.calls('sendMessage').length - sentBefore) / rounds
    // sessionId selection scans the index: one session per chat above (≥ 2 × rounds + 20 entries).
    const sessionId = (await turn({to: '1000000'})).final.sessionId
    const byId = []
    const byKey = []
    for (let i = 0; i < (quick ? 20 : 60); i++) {
      byKey.push((await turn({sessionKey: 'agent:main:telegram:direct:1000000'})).ms)
      byId.push((await turn({sessionId})).ms)
    }
    const after = loadNow()
    const p = stats(plain)
    const d = stats(delivered)
    const s = stats(byId)
    const k = stats(byKey)
    const rows = [
      [`agent RPC to a chat, no delivery: p50 / p99 over ${rounds} (ms)`, `${p.median.toFixed(2)} / ${p.p99.toFixed(2)}`, '', true],
      [`agent RPC to a chat with deliver:true: p50 / p99 over ${rounds} (ms)`, `${d.median.toFixed(2)} / ${d.p99.toFixed(2)}`, '≤ 15 / ≤ 50', d.median <= 15 && d.p99 <= 50],
      ['gateway CPU per turn: no delivery / deliver (ms)', `${(cpuPlain / rounds).toFixed(2)} / ${(cpuDeliver / rounds).toFixed(2)}`, '', true],
      ['sendMessage calls per delivered turn', sendsPerTurn.toFixed(2), '= 1', sendsPerTurn === 1 && notDelivered === 0],
      [`same session by sessionKey / by sessionId among ${2 * rounds + 21} sessions: p50 (ms)`, `${k.median.toFixed(2)} / ${s.median.toFixed(2)}`, 'id ≤ key + 2', s.median <= k.median + 2],
    ]
    console.log(`\nmachine before: ${before}; after: ${after}`)
    printTable('agent params (gateway, instant fake model, fake Bot API)', ['row', 'value', 'target', 'met'], rows.map((r) => [r[0], r[1], r[2], r[3] ? 'yes' : 'NO']))
    for (const r of rows) if (!r[3]) missed.push(`deliver: ${r[0]}`)
  } finally {
    client.close()
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    model.close()
    await fake.close()
    rmSync(root, {recursive: true, force: true})
  }
  return missed
}
