import {describe, expect, it} from 'vitest'

import {cleanupList} from '../helpers/cleanups.js'
import {waitForHealth} from '../helpers/gateway-process.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {transcriptLines} from '../helpers/transcript-files.js'
import {until} from '../helpers/until.js'

const BOT = {token: '515151:KillNineKillNineKillNineKillNine1234', id: 515151, username: 'kill_bot'}
const CHATS = 20
const PER_CHAT = 5
const cleanups = cleanupList()

/** How many `openclaw.inbound` markers (messages queued behind a running turn) the transcripts hold. */
function queuedMarkers(stateDir: string): number {
  return transcriptLines(stateDir).reduce((count, line) => count + line.split('"openclaw.inbound"').length - 1, 0)
}

/** Every `openclaw.delivery` marker of every transcript: dedupeKey -> states in file order. */
function deliveryMarkers(stateDir: string): Map<string, string[]> {
  const states = new Map<string, string[]>()
  for (const line of transcriptLines(stateDir)) {
    if (!line.includes('openclaw.delivery')) continue
    const {data} = JSON.parse(line) as {data: {dedupeKey: string; state: string}}
    states.set(data.dedupeKey, [...(states.get(data.dedupeKey) ?? []), data.state])
  }
  return states
}

describe('telegram: kill -9 with 100 messages in flight (real binary, fake Bot API, slow fake model)', () => {
  it('after a restart every message is answered once; only a reply on the wire at the kill may be missing, and its transcript says undelivered', async () => {
    const {telegram: fake, home, port, spawn, start} = await telegramGatewayFixture(cleanups, {
      bots: [BOT],
      echo: {delayMs: 300},
      telegram: {dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'},
      config: {agents: {defaults: {model: 'fake/m', maxConcurrent: CHATS}}, session: {dmScope: 'per-channel-peer'}, messages: {queue: {mode: 'followup', debounceMs: 0}}},
    })
    // Real limits would make 100 replies take ~8 s; the pacing itself is tested elsewhere.
    const env = {OPENCLAW_BENCH_TELEGRAM_RATE_SCALE: '20'}

    let gateway = await start({env})
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

    gateway = spawn(env)
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
