/**
 * `agent` both ways with OpenClaw 2026.9.6 (issue #7 item 10), from the wire recordings in
 * test/fixtures/peer-2026.9: the reference CLI's `openclaw agent` frames replayed through our
 * handshake and dispatch on a real server (runner + fake model), and the reference gateway's
 * recorded run (accepted, its events, final) replayed to our `openclaw agent` client and printer.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {PassThrough} from 'node:stream'

import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../src/runtime/agents/open-runner.js'
import {runAgentCommand} from '../../../src/runtime/agents/run/agent-command.js'
import type {RunObserver} from '../../../src/runtime/agents/run/run-events.js'
import type {Config} from '../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'
import {agentMethods} from '../../../src/runtime/gateway/methods/agent.js'
import {createMethodRegistry} from '../../../src/runtime/gateway/methods/groups.js'
import {parseFrame} from '../../../src/runtime/gateway/protocol/parse-frame.js'
import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {streamPrinter} from '../../../src/ui/render-agent.js'
import {startFakeModel, text, type FakeModel} from '../../fakes/model-server/index.js'
import {startTestServer, TestClient, TOKEN, type Frame} from './harness.js'
import {peerFixture, peerFrameText, REPLAY_TOKEN, startReplayGateway, type ReplayGateway} from './peer-replay-gateway.js'
import {openedRunners} from '../../helpers/opened-runners.js'
import {pathsIn} from '../../helpers/runner-fixture.js'

const runners = openedRunners()

/** Dotted paths of every leaf of `value` (array elements as `[]`), with the leaf's JSON type. */
function leafShape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => leafShape(item, `${prefix}[]`))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => leafShape(v, prefix === '' ? key : `${prefix}.${key}`))
  return [`${prefix}:${value === null ? 'null' : typeof value}`]
}

const AGENT_REQUESTS = ['cli-request-agent.json', 'cli-request-agent-to.json', 'cli-request-agent-session-id.json', 'cli-request-agent-session-key.json', 'cli-request-agent-new.json']

describe('their `openclaw agent`, our gateway: recorded request frames', () => {
  it.each(AGENT_REQUESTS)('%s passes parseFrame as an agent request with an idempotencyKey', (file) => {
    expect(parseFrame(peerFrameText(file, 't'))).toMatchObject({ok: true, frame: {type: 'req', method: 'agent', params: {message: expect.any(String), idempotencyKey: expect.any(String)}}})
  })
})

describe('their `openclaw agent`, our gateway: the recorded session replayed on a real server with a runner', () => {
  let fake: FakeModel
  let dir: string
  let server: GatewayServer
  let url: string
  beforeAll(async () => {
    fake = await startFakeModel()
    dir = mkdtempSync(path.join(os.tmpdir(), 'peer-agent-'))
    const {config, issues} = validateConfigTree({
      models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm1', name: 'M1'}]}}},
      agents: {defaults: {model: 'fake/m1', workspace: path.join(dir, 'ws')}},
    })
    if (config === null) throw new Error(JSON.stringify(issues))
    const paths = pathsIn(dir)
    // Run events reach the server started just below (the runner publishes only once a run starts).
    const runner = runners.track(openAgentRunner({config: (): Config => config, paths, env: {}, owner: 'gateway', sink: {publish: (event, payload, filter) => server.broadcast(event, payload, filter)}}))
    ;({server, url} = await startTestServer({registry: createMethodRegistry([agentMethods({runner})])}))
  })
  afterAll(async () => {
    await server.close({drainMs: 200})
    await fake.destroy()
    await runners.settleAll()
    rmSync(dir, {recursive: true, force: true})
  })

  /** Challenge, the recorded connect (our token in), then the recorded request; returns every frame up to the final. */
  async function replay(connectFile: string, requestFile: string): Promise<{hello: Frame; request: Frame; responses: Frame[]; client: TestClient}> {
    const client = await TestClient.open(url)
    await client.challenge()
    const connect = JSON.parse(peerFrameText(connectFile, TOKEN))
    client.send(connect)
    const hello = await client.next((f) => f.type === 'res' && f.id === connect.id)
    expect(hello.ok).toBe(true)
    const request = JSON.parse(peerFrameText(requestFile, TOKEN))
    client.send(request)
    // Their CLI waits for the res whose status is not `accepted` (protocol §6.6).
    await client.next((f) => f.type === 'res' && f.id === request.id && f.payload?.status !== 'accepted', 10_000)
    return {hello: hello.payload, request, responses: client.frames.filter((f) => f.type === 'res' && f.id === request.id), client}
  }

  /** A connection made with their CLI's recorded connect frame (our token in). */
  async function recordedConnection(): Promise<TestClient> {
    const client = await TestClient.open(url)
    await client.challenge()
    const connect = JSON.parse(peerFrameText('cli-connect-agent.json', TOKEN))
    client.send(connect)
    await client.next((f) => f.type === 'res' && f.id === connect.id)
    return client
  }

  it('`openclaw agent --agent main --message hi`: accepted, then a final with the shape their CLI printed from', async () => {
    fake.enqueue(text('Hello from', ' our fake', {usage: {input: 12, output: 5}}))
    const {hello, request, responses, client} = await replay('cli-connect-agent.json', 'cli-request-agent.json')
    expect(hello.auth.scopes).toEqual(['operator.admin'])
    expect(responses.map((r) => r.payload.status)).toEqual(['accepted', 'ok'])
    const [accepted, final] = responses
    expect(accepted.payload).toEqual({runId: request.params.idempotencyKey, sessionKey: 'agent:main:main', agentId: 'main', status: 'accepted', acceptedAt: expect.any(Number)})
    expect(final.payload).toMatchObject({runId: request.params.idempotencyKey, status: 'ok', summary: 'completed', result: {payloads: [{text: 'Hello from our fake'}], meta: {agentMeta: {provider: 'fake', model: 'm1', sessionId: expect.any(String), usage: {input: 12, output: 5}}}}})
    // Every field of our final that their CLI printed from (recorded) is still there, with its type.
    expect(leafShape(final.payload)).toEqual(expect.arrayContaining(leafShape(peerFixture('ours-agent-final.json').payload)))
    // The fields their CLI reads exist in the reference gateway's own final too.
    const reference = peerFixture('gateway-agent-run.json').find((f: Frame) => f.type === 'res' && f.payload?.status === 'ok').payload
    for (const key of ['runId', 'status', 'summary', 'result.payloads[].text:string', 'result.meta.agentMeta.sessionId:string', 'result.meta.agentMeta.provider:string', 'result.meta.agentMeta.model:string']) {
      const shape = leafShape(reference)
      expect(shape.some((leaf) => leaf.startsWith(key)), key).toBe(true)
      expect(leafShape(final.payload).some((leaf) => leaf.startsWith(key)), key).toBe(true)
    }
    const events = client.frames.filter((f) => f.type === 'event' && f.payload?.runId === request.params.idempotencyKey)
    // Assistant deltas may coalesce under load: one or two of them between start and end.
    const streams = events.filter((f) => f.event === 'agent').map((f) => f.payload.stream)
    expect([streams[0], streams.at(-1), [...new Set(streams.slice(1, -1))]]).toEqual(['lifecycle', 'lifecycle', ['assistant']])
    expect(events.some((f) => f.event === 'chat' && f.payload.state === 'final')).toBe(true)
    await client.closeAndWait()
  })

  it.each<[string, string, string]>([
    ['--to <number>', 'cli-request-agent-to.json', 'agent:main:main'],
    ['--session-id abc123 (their CLI derives the session key)', 'cli-request-agent-session-id.json', 'agent:main:explicit:abc123'],
    ['--session-key agent:main:incident', 'cli-request-agent-session-key.json', 'agent:main:incident'],
  ])('`openclaw agent %s` runs in the session key it sent', async (_name, file, sessionKey) => {
    fake.enqueue(text('keyed'))
    const {responses, client} = await replay('cli-connect-agent.json', file)
    expect(responses.map((r) => [r.payload.status, r.payload.sessionKey])).toEqual([['accepted', sessionKey], ['ok', sessionKey]])
    expect(responses[1].payload.result.payloads).toEqual([{text: 'keyed'}])
    await client.closeAndWait()
  })

  it('`--session-id` twice (their CLI sends sessionId plus the key it derived, deliver:false, timeout 600): both turns land in one session', async () => {
    const recorded = JSON.parse(peerFrameText('cli-request-agent-session-id.json', TOKEN))
    expect(recorded.params).toMatchObject({sessionId: 'abc123', sessionKey: 'agent:main:explicit:abc123', deliver: false, timeout: 600})
    const client = await recordedConnection()
    const finals = []
    for (const key of ['sid-1', 'sid-2']) {
      fake.enqueue(text(`turn ${key}`))
      client.send({type: 'req', id: key, method: 'agent', params: {...recorded.params, idempotencyKey: key}})
      finals.push((await client.next((f) => f.type === 'res' && f.id === key && f.payload?.status !== 'accepted', 10_000)).payload)
    }
    expect(finals.map((f) => [f.status, f.sessionKey])).toEqual([['ok', 'agent:main:explicit:abc123'], ['ok', 'agent:main:explicit:abc123']])
    expect(finals[1].sessionId).toBe(finals[0].sessionId)
    expect(JSON.stringify(fake.requests.at(-1)?.body)).toContain('turn sid-1')
    await client.closeAndWait()
  })

  it('`openclaw agent --to +15555550123` (a phone number, deliver:false): runs in the key it sent; the unusable target is only a warning', async () => {
    const recorded = JSON.parse(peerFrameText('cli-request-agent-to.json', TOKEN))
    const client = await recordedConnection()
    fake.enqueue(text('warned'))
    client.send({type: 'req', id: 'to-1', method: 'agent', params: {...recorded.params, idempotencyKey: 'to-1'}})
    await client.next((f) => f.type === 'res' && f.id === 'to-1' && f.payload?.status !== 'accepted', 10_000)
    const [accepted, final] = client.frames.filter((f) => f.type === 'res' && f.id === 'to-1')
    expect(accepted.payload).toMatchObject({status: 'accepted', sessionKey: 'agent:main:main', warnings: [expect.stringContaining('--to ignored: no channel is configured')]})
    expect(final.payload).toMatchObject({status: 'ok', delivered: false, sessionKey: 'agent:main:main'})
    await client.closeAndWait()
  })

  it('`openclaw agent --message /new` (gateway-client/backend): one final carrying the new sessionId, no model call', async () => {
    const before = fake.requests.length
    const {hello, responses, client} = await replay('cli-connect-agent-backend.json', 'cli-request-agent-new.json')
    expect(hello.auth.scopes).toEqual(['operator.admin'])
    expect(responses).toHaveLength(1)
    expect(responses[0].payload).toMatchObject({status: 'ok', command: 'new', sessionId: expect.any(String), result: {payloads: [{text: expect.stringContaining('New session started')}]}})
    expect(fake.requests).toHaveLength(before)
    await client.closeAndWait()
  })
})

describe('our `openclaw agent`, their gateway: the recorded run replayed to our client', () => {
  let replay: ReplayGateway | undefined
  afterEach(async () => {
    await replay?.close()
    replay = undefined
  })
  const paths = {home: '/nonexistent', profile: null, profileSource: null, stateDir: '/nonexistent/.openclaw', configPath: '/nonexistent/.openclaw/openclaw.json', legacyStateDir: null, includeRoots: [], workspaceDir: null, cwd: '/', notices: []}

  it('the recorded frames are the run their gateway sent: unknown phases and streams, chat seq reused, final chat without usage', () => {
    const run: Frame[] = peerFixture('gateway-agent-run.json')
    const agent = run.filter((f) => f.event === 'agent')
    expect(agent.map((f) => f.payload.data.phase ?? f.payload.stream)).toEqual(['start', 'model', 'assistant', 'assistant', 'usage', 'finishing', 'model', 'end'])
    // Each chat event reuses the run seq of the agent event just before it.
    const chatSeqs: Array<[number, number]> = []
    let lastAgentSeq = 0
    for (const f of run) {
      if (f.event === 'agent') lastAgentSeq = f.payload.seq
      if (f.event === 'chat') chatSeqs.push([f.payload.seq, lastAgentSeq])
    }
    expect(chatSeqs).toEqual([[3, 3], [4, 4], [8, 8]])
    const chat = run.filter((f) => f.event === 'chat')
    expect(chat.at(-1).payload).toMatchObject({state: 'final'})
    expect(chat.at(-1).payload.usage).toBeUndefined()
    expect(run.find((f) => f.type === 'res' && f.payload.status === 'accepted').payload.sessionKey).toBe('agent:main:main')
  })

  it('prints their reply as it streams, reads their final, and names the advertised default agent', async () => {
    replay = await startReplayGateway()
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    stdout.on('data', (chunk) => (out += chunk))
    const printer = streamPrinter(stdout, stderr)
    const seen: Array<Parameters<RunObserver>[0]> = []
    const result = await runAgentCommand({
      paths, env: {}, message: 'hi', local: false, flags: {url: replay.url, token: REPLAY_TOKEN}, connectTimeoutMs: 5000, clientInfo: {version: '0.1.0'},
      observer: (event) => {
        seen.push(event)
        printer.observer(event)
      },
    })
    printer.finish()
    const {requests} = replay
    expect(requests.map((r) => r.method)).toEqual(['agent'])
    expect(requests[0].params).toMatchObject({message: 'hi', agentId: 'main'})
    expect(requests[0].params.sessionKey).toBeUndefined()
    expect(seen.filter((e) => e.kind === 'text').map((e) => (e as {delta: string}).delta)).toEqual(['Hello from', ' our fake'])
    expect(out).toBe('Hello from our fake\n')
    expect(result).toMatchObject({via: 'gateway', status: 'ok', summary: 'completed', text: 'Hello from our fake', sessionKey: 'agent:main:main', result: {meta: {agentMeta: {provider: 'fake', model: 'm1'}}}})
  })
})
