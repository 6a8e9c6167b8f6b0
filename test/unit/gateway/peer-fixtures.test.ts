/**
 * Wire recordings of OpenClaw 2026.9.6 (test/fixtures/peer-2026.9, protocol §10): the reference
 * CLI's frames replayed against our handshake, dispatch and a real server; the reference gateway's
 * frames replayed against our client, the `health` command's whole path included.
 */
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {AuthRateLimiter} from '../../../src/runtime/gateway/server/auth-rate-limit.js'
import {callGateway, connectGateway} from '../../../src/runtime/gateway/client/client.js'
import {GatewayHelloSchema, parseServerFrame} from '../../../src/runtime/gateway/client/frames.js'
import {checkGatewayHealth, healthProblems} from '../../../src/runtime/gateway/client/health.js'
import {decideConnect} from '../../../src/runtime/gateway/server/handshake.js'
import {HelloOkSchema} from '../../../src/runtime/gateway/protocol/frames.js'
import {parseFrame} from '../../../src/runtime/gateway/protocol/parse-frame.js'
import {HealthSnapshotSchema} from '../../../src/runtime/gateway/protocol/snapshots.js'
import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {renderHealth} from '../../../src/ui/render-health.js'
import {startTestServer, TestClient, TOKEN, type Frame} from './harness.js'
import {peerFixture, peerFrameText, REPLAY_TOKEN, startReplayGateway, type ReplayGateway} from './peer-replay-gateway.js'

/** The hello-ok fields their client requires (§10), as dotted paths. */
const REQUIRED_HELLO_PATHS = [
  'type', 'protocol', 'server.version', 'server.connId', 'features.methods', 'features.events', 'snapshot.presence',
  'snapshot.health', 'snapshot.stateVersion', 'snapshot.uptimeMs', 'auth.role', 'auth.scopes',
  'policy.maxPayload', 'policy.maxBufferedBytes', 'policy.tickIntervalMs',
]
const HEALTH_KEYS = ['ok', 'ts', 'durationMs', 'channels', 'channelOrder', 'channelLabels', 'heartbeatSeconds', 'defaultAgentId', 'agents', 'sessions']
const ALL_SCOPES = ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing']

const at = (value: Frame, dotted: string): unknown => dotted.split('.').reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), value)

describe('their CLI, our gateway: recorded reference connect frames', () => {
  it.each([
    ['gateway call health/status', 'cli-connect.json', ['operator.read']],
    ['health (gateway-client/backend)', 'cli-connect-backend.json', ['operator.read']],
    ['gateway call <unlisted method>: unknown scopes dropped', 'cli-connect-unlisted-method.json', ALL_SCOPES],
  ])('%s passes parseFrame and decideConnect', (_name, file, scopes) => {
    const parsed = parseFrame(peerFrameText(file, 't'))
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const decision = decideConnect(parsed.frame, {
      phase: 'running', auth: {mode: 'token', token: 't'}, limiter: new AuthRateLimiter(),
      peer: {ip: '127.0.0.1', loopback: true, origin: undefined, originAllowed: false}, nonce: 'n',
    })
    expect(decision).toMatchObject({ok: true, protocol: 4, role: 'operator', scopes, method: 'token'})
  })

  it.each(['cli-request-health.json', 'cli-request-health-no-params.json'])('%s passes parseFrame', (file) => {
    expect(parseFrame(peerFrameText(file, 't'))).toMatchObject({ok: true, frame: {type: 'req', method: 'health'}})
  })
})

describe('their CLI, our gateway: the recorded sessions replayed on a real server', () => {
  let server: GatewayServer
  let url: string
  beforeAll(async () => {
    ;({server, url} = await startTestServer())
  })
  afterAll(() => server.close({drainMs: 200}))

  /** Challenge, then the recorded connect (our token swapped in); returns the client and hello-ok. */
  async function replayConnect(file: string): Promise<{client: TestClient; hello: Frame}> {
    const client = await TestClient.open(url)
    expect((await client.challenge()).payload).toEqual({nonce: expect.any(String), ts: expect.any(Number)})
    const text = peerFrameText(file, TOKEN)
    client.send(text)
    const res = await client.next((f) => f.type === 'res' && f.id === JSON.parse(text).id)
    expect(res.ok).toBe(true)
    return {client, hello: res.payload}
  }

  it('answers `gateway call health` / `status` with a hello-ok inside their schema, then both payloads', async () => {
    const {client, hello} = await replayConnect('cli-connect.json')
    for (const dotted of REQUIRED_HELLO_PATHS) expect(at(hello, dotted), dotted).toBeDefined()
    expect(hello.features.methods).toEqual(expect.arrayContaining(['health', 'status']))
    expect(hello.snapshot.presence.every((entry: Frame) => typeof entry.ts === 'number')).toBe(true)
    expect(HelloOkSchema.strict().safeParse(hello).success).toBe(true)
    // Every envelope key we send also appears in the reference's own hello-ok to the same connect.
    const reference = peerFixture('gateway-hello-ok.json').payload
    for (const level of ['', 'server', 'features', 'snapshot', 'auth', 'policy']) {
      const ours = Object.keys(level === '' ? hello : hello[level])
      const theirs = Object.keys(level === '' ? reference : reference[level])
      expect(ours.filter((key) => !theirs.includes(key)), `hello-ok.${level}`).toEqual([])
    }
    expect(hello.auth.scopes).toEqual(['operator.read'])

    const started = Date.now()
    const health = JSON.parse(peerFrameText('cli-request-health.json', TOKEN))
    client.send(health)
    const healthRes = await client.next((f) => f.type === 'res' && f.id === health.id)
    expect(healthRes.ok).toBe(true)
    expect(Object.keys(healthRes.payload)).toEqual(expect.arrayContaining(HEALTH_KEYS))
    expect(HealthSnapshotSchema.safeParse(healthRes.payload).success).toBe(true)
    const status = await client.request('status', {}, '2:status')
    expect(status.ok).toBe(true)
    expect(status.payload).toEqual(expect.objectContaining({version: expect.any(String), sessions: expect.any(Object)}))
    expect(Date.now() - started).toBeLessThan(2000)
    await client.closeAndWait()
  })

  it('answers `openclaw health` (gateway-client/backend, health without params)', async () => {
    const {client, hello} = await replayConnect('cli-connect-backend.json')
    expect(hello.auth.scopes).toEqual(['operator.read'])
    const req = JSON.parse(peerFrameText('cli-request-health-no-params.json', TOKEN))
    client.send(req)
    const res = await client.next((f) => f.type === 'res' && f.id === req.id)
    expect(res.ok).toBe(true)
    expect(Object.keys(res.payload)).toEqual(expect.arrayContaining(HEALTH_KEYS))
    await client.closeAndWait()
  })
})

describe('our CLI, their gateway: recorded reference frames', () => {
  it('reads the reference hello-ok, ignoring its ~470 methods, ~60 events and extra keys', () => {
    const parsed = GatewayHelloSchema.safeParse(peerFixture('gateway-hello-ok.json').payload)
    expect(parsed.success).toBe(true)
    if (!parsed.success) return
    expect(parsed.data).toMatchObject({protocol: 4, server: {version: '2026.9.6'}, policy: {tickIntervalMs: 30_000}, auth: {role: 'operator', scopes: ['operator.read']}})
    expect(parsed.data.features.methods).toEqual(expect.arrayContaining(['health', 'status']))
    expect(parsed.data.features.methods.length).toBeGreaterThan(400)
  })

  it.each<[string, Frame]>([
    ['gateway-challenge.json', {type: 'event', event: 'connect.challenge'}],
    ['gateway-health-event.json', {type: 'event', event: 'health', seq: 1}],
    ['gateway-health.json', {type: 'res', ok: true, payload: expect.objectContaining({ok: true, defaultAgentId: 'main'})}],
    ['gateway-status.json', {type: 'res', ok: true, payload: expect.objectContaining({runtimeVersion: '2026.9.6'})}],
    ['gateway-starting.json', {type: 'res', ok: false, error: {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', retryable: true, retryAfterMs: 500, details: {reason: 'startup-sidecars'}}}],
    ['gateway-token-mismatch.json', {type: 'res', ok: false, error: expect.objectContaining({code: 'INVALID_REQUEST', details: expect.objectContaining({code: 'AUTH_TOKEN_MISMATCH'})})}],
    ['gateway-unknown-method.json', {type: 'res', ok: false, error: {code: 'INVALID_REQUEST', message: 'unknown method: no.such.method'}}],
    ['gateway-missing-scope-admin.json', {type: 'res', ok: false, error: {code: 'FORBIDDEN', message: 'missing scope: operator.admin', details: {code: 'MISSING_SCOPE'}}}],
  ])('parseServerFrame reads %s', (file, expected) => {
    expect(parseServerFrame(Buffer.from(JSON.stringify(peerFixture(file))), false)).toMatchObject(expected)
  })
})

describe('our CLI, their gateway: the recorded frames replayed to our client', () => {
  let replay: ReplayGateway
  afterEach(() => replay.close())
  const clientInfo = {version: '0.1.0'}

  it('`health`: retries the starting refusal, skips the pushed event, renders the reference snapshot as healthy', async () => {
    replay = await startReplayGateway({startingFirst: true})
    const report = await checkGatewayHealth({target: {url: replay.url, token: REPLAY_TOKEN}, timeoutMs: 5000, clientInfo})
    expect(replay.connects).toHaveLength(2)
    expect(report).toMatchObject({...peerFixture('gateway-health.json').payload, serverVersion: '2026.9.6', ready: true, failing: [], uptimeMs: 91_095})
    expect(healthProblems(report)).toEqual([])
    const lines = renderHealth(report)
    expect(lines[0]).toMatch(/^Gateway ws:\/\/127\.0\.0\.1:\d+: ok in \d+ ms, openclaw 2026\.9\.6, up 1m, ready$/)
    expect(lines).toContain('Agents: main (default), 0 sessions')
  })

  it('`gateway call status` returns the reference payload unchanged', async () => {
    replay = await startReplayGateway()
    const result = await callGateway({url: replay.url, token: REPLAY_TOKEN, timeoutMs: 5000, clientInfo, method: 'status'})
    expect(result.payload).toEqual(peerFixture('gateway-status.json').payload)
    expect(replay.connects[0].params.scopes).toEqual(['operator.read'])
  })

  it.each<[string, string, string, string]>([
    ['a wrong token', 'wrong', 'health', 'GATEWAY_AUTH_FAILED'],
    ['an unknown method', REPLAY_TOKEN, 'no.such.method', 'GATEWAY_REQUEST_FAILED'],
  ])('maps the reference answer to %s', async (_name, token, method, code) => {
    replay = await startReplayGateway()
    const error = await callGateway({url: replay.url, token, timeoutMs: 5000, clientInfo, method}).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({code})
    const recorded = peerFixture(code === 'GATEWAY_AUTH_FAILED' ? 'gateway-token-mismatch.json' : 'gateway-unknown-method.json')
    expect((error as AppError).message).toBe(recorded.error.message)
  })

  it('reads the reference missing-scope answer to a non-admin for an unadvertised method as unknown method', async () => {
    replay = await startReplayGateway()
    const connection = await connectGateway({url: replay.url, token: REPLAY_TOKEN, timeoutMs: 5000, clientInfo, scopes: ['operator.read']})
    const error = await connection.request('no.such.method', {}).then(() => undefined, (e: unknown) => e)
    connection.close()
    expect(error).toMatchObject({code: 'GATEWAY_REQUEST_FAILED', message: 'unknown method: no.such.method', details: {details: {upstream: {code: 'FORBIDDEN'}}}})
  })
})
