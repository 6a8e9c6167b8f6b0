import {rmSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {cleanupList} from '../helpers/cleanups.js'
import {waitForHealth} from '../helpers/gateway-process.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {transcriptLines} from '../helpers/transcript-files.js'
import {until} from '../helpers/until.js'
import {text} from '../fakes/model-server/index.js'

const BOT = {token: '616161:UnconfirmedUnconfirmedUnconfirmed12', id: 616161, username: 'unconfirmed_bot'}
const cleanups = cleanupList()

/** How often `dedupeKey` was admitted: user lines and queued-message markers that carry it. */
function admissionsOf(stateDir: string, dedupeKey: string): number {
  return transcriptLines(stateDir).filter((line) => (line.includes('"role":"user"') || line.includes('"openclaw.inbound"')) && line.includes(dedupeKey)).length
}

describe('telegram: kill -9 after an update is committed but before Telegram saw it confirmed (telegram.md §4.4)', () => {
  it('the restarted gateway gets the update again in its first batch, finds it in the transcript and answers it once', async () => {
    const {telegram: fake, model, home, port, spawn} = await telegramGatewayFixture(cleanups, {
      bots: [BOT],
      telegram: {dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'},
      config: {session: {dmScope: 'per-channel-peer'}},
    })
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    cleanups.unshift(() => release())
    // The first run's answer never comes (the gateway dies meanwhile); the restart's replay gets this one.
    model.enqueue({...text('never sent'), holdUntil: held}, text('the one answer'))

    let gateway = spawn()
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
    gateway = spawn()
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
