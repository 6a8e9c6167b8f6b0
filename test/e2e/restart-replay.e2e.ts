import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {hang, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {connectClient, connectParams} from '../unit/gateway/harness.js'

const TOKEN = 'replay-e2e-token'
/** Accepted messages before the crash: under the per-connection in-flight cap, one fake turn each after the restart. */
const MESSAGES = 12
let home: GatewayHome
let fake: FakeModel
let gateway: GatewayProcess | undefined

beforeEach(async () => {
  fake = await startFakeModel()
  home = makeGatewayHome()
})
afterEach(async () => {
  gateway?.kill()
  gateway = undefined
  await fake.destroy()
  home.cleanup()
})

describe('restart replay (real binary, kill -9, fake model)', () => {
  it('every accepted message gets its turn once after kill -9; lines parse; a torn index is rebuilt', async () => {
    const port = await freePort()
    home.writeConfig({
      gateway: {mode: 'local', port, auth: {token: TOKEN}},
      models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}},
      agents: {defaults: {model: 'fake/m', workspace: path.join(home.home, 'ws')}},
      messages: {queue: {mode: 'followup', debounceMs: 0}},
    })
    fake.enqueue(hang({text: ['partial']}), ...Array.from({length: MESSAGES}, (_, i) => text(`answer ${i}`)))
    gateway = spawnGateway(['gateway', 'run'], home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 15_000})
    const {client} = await connectClient(`ws://127.0.0.1:${port}`, connectParams({auth: {token: TOKEN}}))
    for (let i = 0; i < MESSAGES; i++) client.send({type: 'req', id: `m${i}`, method: 'agent', params: {message: `message ${i}`, idempotencyKey: `k${i}`}})
    for (let i = 0; i < MESSAGES; i++) expect((await client.next((f) => f.type === 'res' && f.id === `m${i}`, 10_000)).payload).toMatchObject({status: 'accepted'})
    await fake.waitForRequests(1)
    gateway.kill()
    await gateway.exited
    const sessions = path.join(home.stateDir, 'agents', 'main', 'sessions')
    writeFileSync(path.join(sessions, 'sessions.json'), '{"agent:main:main": {"sessionId": "tor')

    gateway = spawnGateway(['gateway', 'run'], home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 15_000})
    await fake.waitForRequests(MESSAGES + 1)
    const file = readdirSync(sessions).find((name) => name.endsWith('.jsonl')) ?? ''
    const deadline = Date.now() + 10_000
    const answers = (): number => readFileSync(path.join(sessions, file), 'utf8').split('\n').filter((line) => line.includes('"answer ')).length
    while (answers() < MESSAGES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    const lines = readFileSync(path.join(sessions, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {message?: {role: string; content: Array<{text?: string}>}})
    const userTexts = lines.filter((l) => l.message?.role === 'user').map((l) => l.message?.content[0].text)
    // Each accepted message exactly once, in the order it was sent (admissions commit in call order, §8.5).
    expect(userTexts).toEqual(Array.from({length: MESSAGES}, (_, i) => `message ${i}`))
    expect(answers()).toBe(MESSAGES)
    expect(fake.requests).toHaveLength(MESSAGES + 1)
    const index = JSON.parse(readFileSync(path.join(sessions, 'sessions.json'), 'utf8')) as Record<string, {sessionId: string}>
    expect(Object.keys(index)).toEqual(['agent:main:main'])
    expect(readdirSync(sessions).some((name) => name.startsWith('sessions.json.corrupt') || name.includes('corrupt'))).toBe(true)
    await client.closeAndWait().catch(() => undefined)
  }, 40_000)
})
