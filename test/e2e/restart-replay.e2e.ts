import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {hang, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {connectClient, connectParams, until, type TestClient} from '../unit/gateway/harness.js'

const TOKEN = 'replay-e2e-token'
/** Accepted messages before the crash: under the per-connection in-flight cap, one fake turn each after the restart. */
const MESSAGES = 12
/** The kill -9 soak: turns spread over sessions (issue 7 acceptance). */
const TURNS = 200
const SESSIONS = 10
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
    // A graceful stop first: the gateway may still be appending the run's last lines.
    process.kill(gateway.pid, 'SIGTERM')
    await gateway.exited
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

  it('kill -9 during 200 turns over 10 sessions: every line parses, every accepted message is answered exactly once and in order, a torn index is rebuilt', async () => {
    const port = await freePort()
    home.writeConfig({
      gateway: {mode: 'local', port, auth: {token: TOKEN}},
      models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}},
      agents: {defaults: {model: 'fake/m', workspace: path.join(home.home, 'ws')}},
      messages: {queue: {mode: 'followup', debounceMs: 0}},
    })
    // Enough small-delay answers for every turn, plus one per session for runs the kill cut off.
    fake.enqueue(...Array.from({length: TURNS + SESSIONS}, (_, i) => text('ok ', `${i}`, {delayMs: 2})))
    gateway = spawnGateway(['gateway', 'run'], home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    // One connection per session: each keeps its frames (and so its admissions) in send order.
    const clients: TestClient[] = []
    for (let s = 0; s < SESSIONS; s++) clients.push((await connectClient(`ws://127.0.0.1:${port}`, connectParams({auth: {token: TOKEN}}))).client)
    const sent = (s: number): string[] => Array.from({length: TURNS / SESSIONS}, (_, n) => `s${s} message ${n}`)
    clients.forEach((client, s) => sent(s).forEach((message, n) => client.send({type: 'req', id: `s${s}-${n}`, method: 'agent', params: {message, sessionKey: `agent:main:s${s}`, idempotencyKey: `s${s}-${n}`}})))
    const finals = (): number => clients.reduce((sum, client) => sum + client.frames.filter((f) => f.type === 'res' && f.id !== 'connect-1' && f.payload?.status !== 'accepted').length, 0)
    await until(() => finals() >= TURNS * 0.4, 60_000)
    gateway.kill()
    await gateway.exited
    const acceptedBefore = [...new Set(clients.flatMap((client) => client.frames.filter((f) => f.type === 'res' && f.id !== 'connect-1' && f.ok === true).map((f) => String(f.id))))]
    expect(finals()).toBeLessThan(TURNS)
    await Promise.all(clients.map((client) => client.closeAndWait().catch(() => undefined)))

    const sessions = path.join(home.stateDir, 'agents', 'main', 'sessions')
    const indexPath = path.join(sessions, 'sessions.json')
    const indexText = readFileSync(indexPath, 'utf8')
    writeFileSync(indexPath, indexText.slice(0, Math.floor(indexText.length / 2)))
    const files = readdirSync(sessions).filter((name) => name.endsWith('.jsonl'))
    expect(files).toHaveLength(SESSIONS)
    const read = (file: string): Array<Record<string, any>> => readFileSync(path.join(sessions, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>) // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers = new Map(files.map((file) => [read(file)[0].sessionKey as string, read(file)[0].id as string]))

    gateway = spawnGateway(['gateway', 'run'], home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    // Settled: every message committed (a user line or a queued marker) has its user line and one answer.
    const settled = (): boolean => files.every((file) => {
      const lines = read(file)
      const users = lines.filter((l) => l.message?.role === 'user').length
      const queued = new Set(lines.filter((l) => l.customType === 'openclaw.inbound').map((l) => l.data.text as string))
      const answered = new Set(lines.filter((l) => l.message?.role === 'user').map((l) => l.message.content[0].text as string))
      return users === lines.filter((l) => l.message?.role === 'assistant').length && [...queued].every((t) => answered.has(t))
    })
    await until(settled, 60_000).catch((error) => {
      for (const file of files) console.log('DEBUG', file, read(file).slice(1).map((l) => l.type === 'custom' ? `${l.customType}:${l.data.text ?? ''}` : `${l.message.role}:${l.message.content[0]?.text ?? ''}:${l.message.stopReason ?? ''}`).join(' | '))
      console.log('GW', gateway?.stderr(), readFileSync(home.logFile, 'utf8').split('\n').filter((l) => l.includes('replay') || l.includes('error')).slice(-20).join('\n'))
      throw error
    })

    let total = 0
    for (const file of files) {
      const lines = read(file) // every line parses, or JSON.parse throws here
      const key = lines[0].sessionKey as string
      const s = Number(key.replace('agent:main:s', ''))
      const users = lines.filter((l) => l.message?.role === 'user').map((l) => l.message.content[0].text as string)
      // Committed in send order, each once: a prefix of what this session's client sent.
      expect(users).toEqual(sent(s).slice(0, users.length))
      // Every user line is followed by exactly one answer before the next user line.
      const roles = lines.filter((l) => l.type === 'message').map((l) => l.message.role as string)
      expect(roles.join(',')).toBe(Array.from({length: users.length}, () => 'user,assistant').join(','))
      total += users.length
    }
    for (const id of acceptedBefore) {
      const [s, n] = id.replace('s', '').split('-').map(Number)
      const file = files.find((f) => read(f)[0].sessionKey === `agent:main:s${s}`) ?? ''
      expect(read(file).some((l) => l.message?.role === 'user' && l.message.content[0].text === `s${s} message ${n}`)).toBe(true)
    }
    expect(total).toBeGreaterThanOrEqual(acceptedBefore.length)
    // The torn index was set aside and rebuilt from the headers: same keys, same sessionIds (no silent swap).
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Record<string, {sessionId: string}>
    expect(Object.fromEntries(Object.entries(index).map(([key, entry]) => [key, entry.sessionId]))).toEqual(Object.fromEntries(headers))
    expect(readdirSync(sessions).some((name) => name.startsWith('sessions.json.corrupt'))).toBe(true)
  }, 120_000)
})
