import {readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayProcess} from '../helpers/gateway-process.js'
import {startFakeModel, text} from '../fakes/model-server/index.js'
import {startFakeTelegram} from '../fakes/telegram-api/index.js'

const TOKEN = '616161:UnconfirmedUnconfirmedUnconfirmed12'
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

/** How often `dedupeKey` was admitted: user lines and queued-message markers that carry it. */
function admissionsOf(stateDir: string, dedupeKey: string): number {
  const dir = path.join(stateDir, 'agents', 'main', 'sessions')
  let count = 0
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.jsonl'))) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if ((line.includes('"role":"user"') || line.includes('"openclaw.inbound"')) && line.includes(dedupeKey)) count++
    }
  }
  return count
}

describe('telegram: kill -9 after an update is committed but before Telegram saw it confirmed (telegram.md §4.4)', () => {
  it('the restarted gateway gets the update again in its first batch, finds it in the transcript and answers it once', async () => {
    const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 616161, username: 'unconfirmed_bot'}]})
    cleanups.push(() => fake.close())
    const model = await startFakeModel()
    cleanups.push(() => model.destroy())
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    cleanups.unshift(() => release())
    // The first run's answer never comes (the gateway dies meanwhile); the restart's replay gets this one.
    model.enqueue({...text('never sent'), holdUntil: held}, text('the one answer'))
    const port = await freePort()
    const home = makeGatewayHome({
      gateway: {port, auth: {token: 'gw-token'}},
      models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'k', models: [{id: 'm', name: 'M', input: ['text']}]}}},
      agents: {defaults: {model: 'fake/m'}},
      session: {dmScope: 'per-channel-peer'},
      channels: {telegram: {apiRoot: fake.apiRoot, botToken: TOKEN, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'}},
    })
    cleanups.push(() => home.cleanup())
    const env = {...home.env, OPENCLAW_OFFLINE: '1'}
    const start = (): GatewayProcess => {
      const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], env)
      cleanups.push(() => gateway.kill())
      return gateway
    }

    let gateway = start()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    await until(() => fake.calls('getUpdates').length > 0, 'the first poll', 30_000)
    const update = fake.dm({from: {id: 4242, username: 'alice'}, text: 'hello once'})
    // The poll that would confirm the update (offset past it) waits at the fake until after the kill
    // (it lands later as a stale poll that the restarted gateway sees as one 409, and retries).
    fake.delay('getUpdates', 15_000)
    await model.waitForRequests(1)
    const key = `telegram:default:u:${update.update_id}`
    expect(admissionsOf(home.stateDir, key)).toBe(1)
    gateway.child.kill('SIGKILL')
    await gateway.exited
    // The offset file is written in the background, at most once a second: the kill may come before
    // it records the update. Without any file the first batch after the start must still be checked.
    rmSync(path.join(home.stateDir, 'telegram', 'update-offset-default.json'), {force: true})

    fake.delay('getUpdates', 0)
    gateway = start()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    const replies = () => fake.calls('sendMessage').filter((c) => c.ok && String(c.params.chat_id) === '4242')
    await until(() => replies().length >= 1, 'the reply', 30_000)
    // A poll after the first batch confirms the update: the restarted gateway is done with it.
    await until(() => fake.calls('getUpdates').some((c) => Number(c.params.offset) > update.update_id), 'the confirming poll', 30_000)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)

    expect(replies().map((c) => c.params.text)).toEqual(['the one answer'])
    expect(admissionsOf(home.stateDir, key)).toBe(1)
    expect(model.requests).toHaveLength(2)
  }, 120_000)
})
