/**
 * The `agent` RPC's protocol params (protocol.md §6.5) on a real server with a runner and the fake
 * model: delivery through the channel sink (once, between delivery markers), refusal of an
 * unresolvable target before acceptance, and label/attachments/thinking reaching the session and
 * the model request; `chat.send` with deliver and thinking.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import type {AgentRunner} from '../../../../src/runtime/agents/run/agent-runner.js'
import type {DeliverySink} from '../../../../src/runtime/agents/run/inbound.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {agentMethods} from '../../../../src/runtime/gateway/methods/agent.js'
import {createMethodRegistry} from '../../../../src/runtime/gateway/methods/groups.js'
import type {GatewayServer} from '../../../../src/runtime/gateway/server/server.js'
import type {MessageOrigin} from '../../../../src/runtime/sessions/store.js'
import {startFakeModel, text, type FakeModel} from '../../../fakes/model-server/index.js'
import {openedRunners} from '../../../helpers/opened-runners.js'
import {pathsIn} from '../../../helpers/runner-fixture.js'
import {connectClient, connectParams, startTestServer, TOKEN, type TestClient} from '../harness.js'

const runners = openedRunners()
let fake: FakeModel
let dir: string
let server: GatewayServer
let client: TestClient
let runner: AgentRunner
const finals: Array<{origin: MessageOrigin; text: string}> = []
/** What the recording sink answers a final with ('delivered' unless a test says otherwise). */
let sendOutcome: (origin: MessageOrigin) => Promise<string>

beforeEach(async () => {
  fake = await startFakeModel()
  dir = mkdtempSync(path.join(os.tmpdir(), 'agent-params-'))
  finals.length = 0
  sendOutcome = async () => 'delivered'
  const {config, issues} = validateConfigTree({
    models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', reasoning: true, input: ['text', 'image']}]}}},
    agents: {defaults: {model: 'fake/m', workspace: path.join(dir, 'ws')}},
    session: {dmScope: 'per-channel-peer'},
    messages: {queue: {mode: 'collect', debounceMs: 0}},
    channels: {telegram: {botToken: '1:a'}},
  })
  if (config === null) throw new Error(JSON.stringify(issues))
  const paths = pathsIn(dir)
  // A recording channel sink stands in for Telegram (its own tests cover the Bot API side).
  const channelSink = (origin: MessageOrigin): DeliverySink => ({typing() {}, preview() {}, error() {}, final: async (reply) => {
    finals.push({origin, text: reply.text})
    return sendOutcome(origin)
  }})
  runner = runners.track(openAgentRunner({config: (): Config => config, paths, env: {}, owner: 'gateway', sink: {publish: (event, payload, filter) => server.broadcast(event, payload, filter)}, channelSink}))
  const started = await startTestServer({registry: createMethodRegistry([agentMethods({runner})])})
  server = started.server
  ;({client} = await connectClient(started.url, connectParams({auth: {token: TOKEN}})))
})
afterEach(async () => {
  await client.closeAndWait()
  await server.close({drainMs: 200})
  await fake.destroy()
  await runners.settleAll()
  rmSync(dir, {recursive: true, force: true})
})

const sessionsDir = () => path.join(dir, 'state', 'agents', 'main', 'sessions')
function transcript(): Array<{type: string; customType?: string; data?: {state?: string}; message?: {role: string}}> {
  const file = readdirSync(sessionsDir()).find((name) => name.endsWith('.jsonl'))!
  return readFileSync(path.join(sessionsDir(), file), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
}
async function run(id: string, params: Record<string, unknown>) {
  client.send({type: 'req', id, method: 'agent', params: {idempotencyKey: id, ...params}})
  await client.next((f) => f.type === 'res' && f.id === id && f.payload?.status !== 'accepted', 10_000)
  return client.frames.filter((f) => f.type === 'res' && f.id === id)
}

describe('agent RPC params', () => {
  it('to + deliver: the session of that chat, the final through its channel once between delivery markers, delivered recorded', async () => {
    fake.enqueue(text('shipped'))
    const [accepted, final] = await run('d1', {message: 'ship', to: '42', channel: 'telegram', deliver: true})
    expect(accepted.payload).toMatchObject({status: 'accepted', sessionKey: 'agent:main:telegram:direct:42'})
    expect(final.payload).toMatchObject({status: 'ok', delivered: true, delivery: {channel: 'telegram', accountId: 'default', to: '42', state: 'delivered'}, sessionId: expect.any(String)})
    expect(finals).toEqual([{origin: expect.objectContaining({channel: 'telegram', peer: {kind: 'direct', id: '42'}, delivery: 'channel', dedupeKeys: ['run:d1']}), text: 'shipped'}])
    const markers = transcript().filter((line) => line.customType === 'openclaw.delivery').map((line) => line.data?.state)
    expect(markers).toEqual(['sending', 'delivered'])
    await runner.settled()
    const index = JSON.parse(readFileSync(path.join(sessionsDir(), 'sessions.json'), 'utf8'))
    expect(index['agent:main:telegram:direct:42']).toMatchObject({lastChannel: 'telegram', lastTo: '42', lastAccountId: 'default'})
  })

  it('two deliver requests that one collect turn answers: the chat gets that reply once, both report delivered', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.enqueue({...text('first'), holdUntil: held}, text('collected'))
    const deliverTo = (id: string) => client.send({type: 'req', id, method: 'agent', params: {idempotencyKey: id, message: id, to: '42', deliver: true}})
    const accepted = (id: string) => client.next((f) => f.type === 'res' && f.id === id && f.payload?.status === 'accepted', 10_000)
    const final = (id: string) => client.next((f) => f.type === 'res' && f.id === id && f.payload?.status !== 'accepted', 10_000)
    deliverTo('a')
    await accepted('a')
    await expect.poll(() => fake.requests.length).toBe(1)
    deliverTo('b')
    await accepted('b')
    deliverTo('c')
    await accepted('c')
    release()
    const finalsById = [await final('a'), await final('b'), await final('c')].map((f) => [f.id, f.payload.delivered, f.payload.result.payloads[0].text])
    expect(finalsById).toEqual([['a', true, 'first'], ['b', true, 'collected'], ['c', true, 'collected']])
    expect(finals.map((f) => f.text)).toEqual(['first', 'collected'])
    expect(fake.requests).toHaveLength(2)
  })

  it('an unresolvable target with deliver (no best effort) is INVALID_REQUEST before acceptance: nothing written, no model call', async () => {
    const responses = await run('bad', {message: 'x', to: '+15555550123', deliver: true})
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringContaining('cannot deliver the reply: "+15555550123" is not a telegram chat id')}})
    const noRoute = await run('bad2', {message: 'x', deliver: true})
    expect(noRoute[0]).toMatchObject({ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringContaining('agent:main:main has no last route')}})
    expect(fake.requests).toHaveLength(0)
    expect(() => readdirSync(sessionsDir())).toThrow()
    fake.enqueue(text('fine'))
    const effort = await run('best2', {message: 'x', sessionKey: 'main', deliver: true, bestEffortDeliver: true})
    expect(effort.map((f) => f.payload.status)).toEqual(['accepted', 'ok'])
    expect(effort[0].payload.warnings).toEqual([expect.stringContaining('not delivered: no target')])
    expect(effort[1].payload).toMatchObject({delivered: false, deliveryError: expect.stringContaining('the reply was not delivered: no target')})
    expect(finals).toEqual([])
  })

  it('label, attachments and thinking reach the session and the model request', async () => {
    const png = Buffer.from('png-bytes').toString('base64')
    fake.enqueue(text('I see it'))
    const [, final] = await run('look', {message: 'what is this?', label: 'triage', thinking: 'low', attachments: [{type: 'image', mimeType: 'image/png', fileName: 'a.png', content: png}]})
    expect(final.payload).toMatchObject({status: 'ok', delivered: false})
    const body = fake.requests[0].body as {reasoning_effort?: string; messages: Array<{role: string; content: unknown}>}
    expect(body.reasoning_effort).toBe('low')
    expect(body.messages.at(-1)?.content).toEqual([{type: 'text', text: 'what is this?'}, {type: 'image_url', image_url: {url: `data:image/png;base64,${png}`}}])
    const index = JSON.parse(readFileSync(path.join(sessionsDir(), 'sessions.json'), 'utf8'))
    expect(index['agent:main:main'].label).toBe('triage')
    const bad = await run('bad-thinking', {message: 'x', thinking: 'max'})
    expect(bad[0]).toMatchObject({ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringContaining('unknown thinking level "max"')}})
  })

  it('chat.send with deliver and thinking: the reply goes to the chat the session key names', async () => {
    fake.enqueue(text('to the chat'))
    const started = await client.request('chat.send', {sessionKey: 'agent:main:telegram:direct:42', message: 'hi', idempotencyKey: 'c1', deliver: true, thinking: 'high'})
    expect(started.payload).toEqual({runId: 'c1', status: 'started'})
    await client.next((f) => f.type === 'event' && f.event === 'chat' && f.payload.state === 'final', 10_000)
    await expect.poll(() => finals.length).toBe(1)
    expect(finals[0]).toMatchObject({text: 'to the chat', origin: {peer: {kind: 'direct', id: '42'}}})
    expect((fake.requests[0].body as {reasoning_effort?: string}).reasoning_effort).toBe('high')
  })

  it('threadId: the forum topic of a group, and the thread of a private chat, reach the channel; the session stays the chat\'s', async () => {
    fake.enqueue(text('in the topic'), text('in the thread'))
    const [, topic] = await run('t1', {message: 'x', to: '-100123', threadId: 7, deliver: true})
    expect(topic.payload).toMatchObject({sessionKey: 'agent:main:telegram:group:-100123:topic:7', delivered: true, delivery: {to: '-100123', threadId: '7'}})
    const [, dm] = await run('t2', {message: 'y', to: '42', threadId: '9', deliver: true})
    expect(dm.payload).toMatchObject({sessionKey: 'agent:main:telegram:direct:42', delivered: true, delivery: {to: '42', threadId: '9'}})
    expect(finals.map((f) => f.origin.peer)).toEqual([{kind: 'group', id: '-100123:topic:7'}, {kind: 'direct', id: '42:topic:9'}])
  })

  it('a send the channel fails: the final (ok) and agent.wait carry delivered false and the deliveryError', async () => {
    sendOutcome = async () => 'failed'
    fake.enqueue(text('lost'))
    const [, final] = await run('f1', {message: 'x', to: '42', deliver: true, bestEffortDeliver: true})
    expect(final.payload).toMatchObject({status: 'ok', delivered: false, deliveryError: 'the reply was not delivered to telegram 42 (failed)', delivery: {state: 'failed'}})
    const waited = await client.request('agent.wait', {runId: 'f1', timeoutMs: 5000})
    expect(waited.payload).toMatchObject({runId: 'f1', status: 'ok', delivered: false, deliveryError: 'the reply was not delivered to telegram 42 (failed)', delivery: {channel: 'telegram', to: '42', state: 'failed'}})
  })

  it('agent.wait ends after the delivery, as the final does: pending while the send is held, then delivered; a run without deliver reports delivered false', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    sendOutcome = async () => {
      await held
      return 'delivered'
    }
    fake.enqueue(text('slow send'), text('plain'))
    client.send({type: 'req', id: 'w1', method: 'agent', params: {idempotencyKey: 'w1', message: 'x', to: '42', deliver: true}})
    await client.next((f) => f.type === 'res' && f.id === 'w1' && f.payload?.status === 'accepted', 10_000)
    await expect.poll(() => finals.length, {timeout: 10_000}).toBe(1)
    const pending = await client.request('agent.wait', {runId: 'w1', timeoutMs: 50})
    expect(pending.payload).toEqual({runId: 'w1', status: 'pending'})
    const waiting = client.request('agent.wait', {runId: 'w1', timeoutMs: 10_000})
    release()
    expect((await waiting).payload).toMatchObject({runId: 'w1', status: 'ok', delivered: true, delivery: {to: '42', state: 'delivered'}})
    await run('w2', {message: 'y'})
    const plain = await client.request('agent.wait', {runId: 'w2'})
    expect(plain.payload).toMatchObject({runId: 'w2', status: 'ok', delivered: false})
    expect(plain.payload.deliveryError).toBeUndefined()
  })

  it('chat.send with deliver: agent.wait reports the delivery', async () => {
    fake.enqueue(text('sent'))
    await client.request('chat.send', {sessionKey: 'agent:main:telegram:direct:42', message: 'hi', idempotencyKey: 'c2', deliver: true})
    const waited = await client.request('agent.wait', {runId: 'c2', timeoutMs: 10_000})
    expect(waited.payload).toMatchObject({runId: 'c2', status: 'ok', delivered: true, delivery: {channel: 'telegram', to: '42', state: 'delivered'}})
  })
})
