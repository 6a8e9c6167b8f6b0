// Resilience benchmark (issue 7 acceptance, runtime.md §8.1 Restart, §8.5): `kill -9` of the real
// gateway during 200 `agent` turns over 10 sessions, then the time until it serves again and until
// every accepted message is answered. Loopback only; every loop is bounded in count and time.
import {spawn} from 'node:child_process'
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {connect, freePort, instantModel, makeHome} from './agent.mjs'
import {printTable} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const TURNS = 200
const SESSIONS = 10
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`resilience bench: ${what} not reached in ${timeoutMs} ms`)
    await sleep(10)
  }
}

async function connectWhenUp(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const client = await connect(`ws://127.0.0.1:${port}`).catch(() => undefined)
    if (client) return client
    await sleep(10)
  }
  throw new Error('resilience bench: the gateway did not come up')
}

/** Every committed message (user line or queued marker) has its user line and exactly one answer. */
function settled(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).every((file) => {
    const lines = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').flatMap((l) => {
      try {
        return [JSON.parse(l)]
      } catch {
        return []
      }
    })
    const users = lines.filter((l) => l.message?.role === 'user')
    const answered = new Set(users.map((l) => l.message.content[0]?.text))
    const queued = lines.filter((l) => l.customType === 'openclaw.inbound').map((l) => l.data.text)
    return users.length === lines.filter((l) => l.message?.role === 'assistant').length && queued.every((t) => answered.has(t))
  })
}

export async function benchResilience() {
  const model = await instantModel()
  const port = await freePort()
  const {home, env} = makeHome(model.address().port, port)
  const configPath = path.join(home, '.openclaw', 'openclaw.json')
  const config = JSON.parse(readFileSync(configPath, 'utf8'))
  writeFileSync(configPath, JSON.stringify({...config, agents: {defaults: {model: 'fake/m'}}, messages: {queue: {mode: 'followup', debounceMs: 0}}}))
  const sessions = path.join(home, '.openclaw', 'agents', 'main', 'sessions')
  const children = []
  const spawnGateway = () => {
    const child = spawn(process.execPath, [bin, 'gateway', 'run'], {env, stdio: ['ignore', 'ignore', 'ignore']})
    children.push(child)
    return child
  }
  const missed = []
  try {
    const first = spawnGateway()
    const clients = []
    for (let s = 0; s < SESSIONS; s++) clients.push(await connectWhenUp(port, 20_000))
    let finals = 0
    const sentAt = performance.now()
    for (const [s, client] of clients.entries()) {
      for (let n = 0; n < TURNS / SESSIONS; n++) void client.agent({message: `s${s} m${n}`, idempotencyKey: `s${s}-${n}`, sessionKey: `agent:main:s${s}`}).then(() => finals++, () => undefined)
    }
    await until(() => finals >= TURNS * 0.4, 60_000, '40% of the turns')
    const killedAt = performance.now()
    first.kill('SIGKILL')
    await new Promise((r) => first.once('exit', r))
    const answeredBefore = finals
    for (const client of clients) client.close()
    const restartAt = performance.now()
    spawnGateway()
    const probe = await connectWhenUp(port, 20_000)
    const readyMs = performance.now() - restartAt
    await until(() => settled(sessions), 60_000, 'every accepted message answered')
    const drainMs = performance.now() - restartAt
    probe.close()
    const before = answeredBefore / ((killedAt - sentAt) / 1000)
    const after = (TURNS - answeredBefore) / ((drainMs - readyMs) / 1000)
    const rows = [
      [`turns answered before kill -9 (of ${TURNS})`, String(answeredBefore), '', true],
      ['turns/s before the kill', before.toFixed(0), '', true],
      // Replay must not be slower than normal service (a machine-independent target).
      ['turns/s replayed after the restart', after.toFixed(0), '≥ 0.5 × before', after >= 0.5 * before],
      ['restart → gateway serves again (ms)', readyMs.toFixed(0), '≤ 1500', readyMs <= 1500],
      ['restart → every accepted message answered (ms)', drainMs.toFixed(0), '', true],
      ['kill → all answered, total (ms)', (performance.now() - killedAt).toFixed(0), '', true],
    ]
    printTable(`resilience (kill -9 of the gateway during ${TURNS} turns over ${SESSIONS} sessions, instant fake model)`, ['row', 'value', 'target', 'met'], rows.map((r) => [r[0], r[1], r[2], r[3] ? 'yes' : 'NO']))
    for (const r of rows) if (!r[3]) missed.push(`resilience: ${r[0]}`)
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    model.close()
    rmSync(home, {recursive: true, force: true})
  }
  return missed
}
