import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayProcess} from '../helpers/gateway-process.js'
import {startEchoModel} from '../fakes/model-server/index.js'
import {startFakeTelegram} from '../fakes/telegram-api/index.js'

const TOKEN = '515151:KillNineKillNineKillNineKillNine1234'
const CHATS = 20
const PER_CHAT = 5
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** How many `openclaw.inbound` markers (messages queued behind a running turn) the transcripts hold. */
function queuedMarkers(stateDir: string): number {
  const dir = path.join(stateDir, 'agents', 'main', 'sessions')
  let count = 0
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.jsonl'))) count += readFileSync(path.join(dir, file), 'utf8').split('"openclaw.inbound"').length - 1
  return count
}

/** Every `openclaw.delivery` marker of every transcript: dedupeKey -> states in file order. */
function deliveryMarkers(stateDir: string): Map<string, string[]> {
  const dir = path.join(stateDir, 'agents', 'main', 'sessions')
  const states = new Map<string, string[]>()
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.jsonl'))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.includes('openclaw.delivery')) continue
      const {data} = JSON.parse(line) as {data: {dedupeKey: string; state: string}}
      states.set(data.dedupeKey, [...(states.get(data.dedupeKey) ?? []), data.state])
    }
  }
  return states
}

describe('telegram: kill -9 with 100 messages in flight (real binary, fake Bot API, slow fake model)', () => {
  it('after a restart every message is answered once; only a reply on the wire at the kill may be missing, and its transcript says undelivered', async () => {
    const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 515151, username: 'kill_bot'}]})
    cleanups.push(() => fake.close())
    const model = await startEchoModel({delayMs: 300})
    cleanups.push(() => model.close())
    const port = await freePort()
    const home = makeGatewayHome({
      gateway: {port, auth: {token: 'gw-token'}},
      models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', input: ['text']}]}}},
      agents: {defaults: {model: 'fake/m', maxConcurrent: CHATS}},
      session: {dmScope: 'per-channel-peer'},
      messages: {queue: {mode: 'followup', debounceMs: 0}},
      channels: {telegram: {apiRoot: fake.apiRoot, botToken: TOKEN, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}},
    })
    cleanups.push(() => home.cleanup())
    // Real limits would make 100 replies take ~8 s; the pacing itself is tested elsewhere.
    const env = {...home.env, OPENCLAW_OFFLINE: '1', OPENCLAW_BENCH_TELEGRAM_RATE_SCALE: '20'}
    const start = (): GatewayProcess => {
      const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], env)
      cleanups.push(() => gateway.kill())
      return gateway
    }

    let gateway = start()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    await fake.waitFor('getUpdates', () => true, 30_000)
    const sent = new Map<string, string>()
    for (let round = 0; round < PER_CHAT; round++) {
      for (let chat = 1; chat <= CHATS; chat++) {
        const text = `msg ${chat}-${round}`
        const update = fake.dm({from: {id: 7000 + chat, username: `u${chat}`}, text})
        sent.set(text, `telegram:default:u:${update.update_id}`)
      }
    }
    const replies = () => fake.calls('sendMessage').filter((c) => c.ok)
    // Some turns answered, most still running or queued behind a running turn of their chat.
    await until(() => replies().length >= 5 && queuedMarkers(home.stateDir) >= 10, 'the first replies and queued messages', 40_000)
    gateway.child.kill('SIGKILL')
    await gateway.exited
    const beforeRestart = replies().length
    expect(beforeRestart).toBeLessThan(CHATS * PER_CHAT)

    gateway = start()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    const answered = (text: string) => replies().filter((c) => c.params.text === `re: ${text}`).length
    const settled = () => [...sent].every(([text, key]) => answered(text) > 0 || (deliveryMarkers(home.stateDir).get(key) ?? []).includes('undelivered'))
    await until(settled, 'every message answered or marked undelivered', 90_000)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)

    const markers = deliveryMarkers(home.stateDir)
    const missing = [...sent].filter(([text]) => answered(text) === 0)
    for (const [text] of sent) expect({text, count: answered(text)}).toEqual({text, count: answered(text) === 0 ? 0 : 1})
    // A lost reply is only one whose send was cut off by the kill (at most one per chat in flight), and it is marked.
    expect(missing.length).toBeLessThanOrEqual(CHATS)
    for (const [, key] of missing) expect(markers.get(key)).toEqual(['sending', 'undelivered'])
    // Nothing but the 100 answers was sent, and the restarted gateway read no update twice.
    expect(replies()).toHaveLength(CHATS * PER_CHAT - missing.length)
    expect(fake.peakPollers()).toBe(1)
  }, 180_000)
})
