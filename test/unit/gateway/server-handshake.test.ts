import {afterEach, describe, expect, it} from 'vitest'

import {createMethodRegistry} from '../../../src/runtime/gateway/methods/groups.js'
import {HelloOkSchema} from '../../../src/runtime/gateway/protocol/frames.js'
import type {GatewayServer, GatewayServerOptions} from '../../../src/runtime/gateway/server/server.js'
import {connectClient, connectParams, startTestServer, TestClient, TOKEN, until} from './harness.js'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let servers: GatewayServer[] = []
let clients: TestClient[] = []
async function start(overrides: Partial<GatewayServerOptions> = {}) {
  const started = await startTestServer(overrides)
  servers.push(started.server)
  return started
}
async function open(url: string, headers: Record<string, string> = {}) {
  const client = await TestClient.open(url, headers)
  clients.push(client)
  return client
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()))
  await Promise.all(servers.map((s) => s.close({drainMs: 200})))
  servers = []
  clients = []
})

const keys = (o: object) => Object.keys(o).sort()

describe('handshake (protocol §3)', () => {
  it('sends connect.challenge first, then hello-ok with exactly the §3.4 fields', async () => {
    const {url} = await start({info: {configPath: '/cfg/openclaw.json', stateDir: '/state', sessionDefaults: {defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main'}}})
    const client = await open(url)
    const challenge = await client.challenge()
    expect(client.frames[0]).toBe(challenge)
    expect(keys(challenge)).toEqual(['event', 'payload', 'type'])
    expect(challenge.payload.nonce).toMatch(UUID_V4)
    expect(Math.abs(challenge.payload.ts - Date.now())).toBeLessThan(5000)

    const res = await client.request('connect', connectParams(), 'c1')
    expect(res).toMatchObject({type: 'res', id: 'c1', ok: true})
    const hello = res.payload
    expect(HelloOkSchema.strict().safeParse(hello).success).toBe(true)
    expect(keys(hello)).toEqual(['auth', 'features', 'policy', 'protocol', 'server', 'snapshot', 'type'])
    expect(hello.type).toBe('hello-ok')
    expect(hello.protocol).toBe(4)
    expect(keys(hello.server)).toEqual(['connId', 'version'])
    expect(hello.server).toEqual({version: '9.9.9', connId: expect.stringMatching(UUID_V4)})
    // Exactly what the registry serves (connect never listed), and every event this build emits.
    expect(hello.features).toEqual({methods: createMethodRegistry().names(), events: ['connect.challenge', 'tick', 'health', 'shutdown', 'presence', 'config.changed', 'agent', 'chat', 'sessions.changed', 'exec.approval.requested', 'exec.approval.resolved']})
    expect(hello.features.methods).toEqual(expect.arrayContaining(['health', 'status', 'system-presence']))
    expect(hello.features.methods).not.toContain('connect')
    expect(keys(hello.snapshot)).toEqual(['authMode', 'configPath', 'health', 'presence', 'sessionDefaults', 'stateDir', 'stateVersion', 'uptimeMs'])
    expect(hello.snapshot).toMatchObject({configPath: '/cfg/openclaw.json', stateDir: '/state', authMode: 'token', stateVersion: {presence: 0, health: expect.any(Number)}})
    expect(hello.snapshot.sessionDefaults).toEqual({defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main'})
    expect(hello.snapshot.presence[0]).toMatchObject({mode: 'gateway', reason: 'self', ts: expect.any(Number)})
    expect(hello.snapshot.health).toMatchObject({ok: true, defaultAgentId: 'main', agents: [], channelOrder: []})
    expect(hello.auth).toEqual({role: 'operator', scopes: ['operator.admin'], method: 'token'})
    expect(hello.policy).toEqual({maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: 30_000})
  })

  it.each([
    ['[3,3] → 3', 3, 3, 3],
    ['[4,4] → 4 (the reference CLI)', 4, 4, 4],
    ['[1,9] → 4', 1, 9, 4],
  ])('negotiates %s', async (_name, minProtocol, maxProtocol, expected) => {
    const {url} = await start()
    const {client, res} = await connectClient(url, connectParams({minProtocol, maxProtocol}))
    clients.push(client)
    expect(res.payload.protocol).toBe(expected)
  })

  it('omits admin and read snapshot parts for a scope-less connection', async () => {
    const {url} = await start({info: {configPath: '/c', sessionDefaults: {defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main'}}})
    const {client, res} = await connectClient(url, connectParams({scopes: []}))
    clients.push(client)
    expect(keys(res.payload.snapshot)).toEqual(['health', 'presence', 'stateVersion', 'uptimeMs'])
    expect(res.payload.auth.scopes).toEqual([])
  })

  it.each<[string, Record<string, unknown>, Partial<GatewayServerOptions>, Record<string, string>, Record<string, unknown>, number, string]>([
    ['protocol mismatch', {minProtocol: 5, maxProtocol: 7}, {}, {},
      {code: 'INVALID_REQUEST', message: 'protocol mismatch', details: {code: 'PROTOCOL_MISMATCH', clientMinProtocol: 5, clientMaxProtocol: 7, expectedProtocol: 4, minimumProtocol: 3}},
      1002, 'protocol mismatch'],
    ['wrong token', {auth: {token: 'nope'}}, {}, {},
      {code: 'INVALID_REQUEST', message: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)", details: expect.objectContaining({code: 'AUTH_TOKEN_MISMATCH'})},
      1008, "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)"],
    ['missing token', {auth: {}}, {}, {},
      {code: 'INVALID_REQUEST', message: "unauthorized: gateway token missing (use this gateway's gateway.auth.token)", details: expect.objectContaining({code: 'AUTH_TOKEN_MISSING'})},
      1008, "unauthorized: gateway token missing (use this gateway's gateway.auth.token)"],
    ['wrong password', {auth: {password: 'x'}}, {auth: {mode: 'password', password: 'pw'}}, {},
      {code: 'INVALID_REQUEST', details: expect.objectContaining({code: 'AUTH_PASSWORD_MISMATCH', authReason: 'password_mismatch'})}, 1008, 'unauthorized: gateway password mismatch'],
    ['invalid params', {client: {id: 'cli'}}, {}, {},
      {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid connect params: client\.mode: /)}, 1008, 'invalid connect params'],
    ['invalid role', {role: 'superuser'}, {}, {}, {code: 'INVALID_REQUEST', message: 'invalid role'}, 1008, 'invalid role'],
    ['node without a device', {role: 'node'}, {}, {}, {code: 'NOT_PAIRED', message: 'device identity required', details: {code: 'DEVICE_IDENTITY_REQUIRED'}}, 1008, 'device identity required'],
    ['gateway starting', {}, {phase: 'starting'}, {},
      {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', retryable: true, retryAfterMs: 500, details: {reason: 'startup-sidecars'}}, 1013, 'gateway starting'],
    ['foreign origin', {}, {}, {Origin: 'http://evil.example'},
      {code: 'INVALID_REQUEST', message: 'origin not allowed', details: {code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED'}}, 1008, 'origin not allowed'],
  ])('rejects: %s', async (_name, over, serverOver, headers, error, code, reason) => {
    const {url} = await start(serverOver)
    const {client, res} = await connectClient(url, connectParams(over), headers)
    clients.push(client)
    expect(res).toMatchObject({type: 'res', id: 'connect-1', ok: false, error})
    const closed = await client.closed
    expect(closed.code).toBe(code)
    expect(closed.reason.startsWith(reason)).toBe(true)
  })

  it('truncates a long close reason to 123 bytes', async () => {
    const {url} = await start()
    const {client} = await connectClient(url, connectParams({client: {id: 'no-such-client-'.repeat(10)}}))
    clients.push(client)
    const closed = await client.closed
    expect(closed.code).toBe(1008)
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123)
    expect(closed.reason.startsWith('invalid connect params: ')).toBe(true)
  })

  it('accepts the gateway\'s own origin', async () => {
    const {url, server} = await start()
    const {client, res} = await connectClient(url, connectParams(), {Origin: `http://127.0.0.1:${server.port}`})
    clients.push(client)
    expect(res.ok).toBe(true)
  })

  it('serves connects once a starting gateway is ready', async () => {
    const {url, server} = await start({phase: 'starting'})
    expect(server.readiness().failing).toEqual(['startup'])
    server.setReady()
    const {client, res} = await connectClient(url)
    clients.push(client)
    expect(res.ok).toBe(true)
    expect(server.readiness()).toMatchObject({ready: true, failing: []})
  })

  it.each([
    ['garbage', 'not json at all'],
    ['a JSON array', '[1,2,3]'],
    ['an event frame', JSON.stringify({type: 'event', event: 'x'})],
    ['a req without a string id', JSON.stringify({type: 'req', id: 1, method: 'connect'})],
    ['binary', Buffer.from([0, 1, 2, 3])],
  ])('closes 1008 "invalid request frame" without a response when the first frame is %s', async (_name, frame) => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    client.send(frame)
    expect(await client.closed).toEqual({code: 1008, reason: 'invalid request frame'})
    expect(client.frames.filter((f) => f.type === 'res')).toEqual([])
  })

  it('answers a first req with a string id but a bad shape, then closes', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    client.send({type: 'req', id: 'x1'})
    const res = await client.next((f) => f.type === 'res')
    expect(res).toEqual({type: 'res', id: 'x1', ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid request frame: method: /)}})
    expect((await client.closed).code).toBe(1008)
  })

  it('refuses a first request that is not connect, with the same text as close reason', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    const res = await client.request('health', {}, 'h1')
    expect(res.error).toEqual({code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect'})
    expect(await client.closed).toEqual({code: 1008, reason: 'invalid handshake: first request must be connect'})
  })

  it('closes 1008 "handshake timeout" with no frame when connect never comes', async () => {
    const {url, server} = await start({handshakeTimeoutMs: 200})
    const client = await open(url)
    const started = Date.now()
    expect(await client.closed).toEqual({code: 1008, reason: 'handshake timeout'})
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(client.frames.map((f) => f.event ?? f.type)).toEqual(['connect.challenge'])
    await until(() => server.pendingConnections === 0)
  })

  it('closes 1009 "preauth payload too large" for a 100 KiB frame before hello-ok', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    client.send(JSON.stringify({type: 'req', id: 'big', method: 'connect', params: {pad: 'x'.repeat(100 * 1024)}}))
    expect(await client.closed).toEqual({code: 1009, reason: 'preauth payload too large'})
  })

  it('closes a pre-auth client streaming a frame far over the budget without buffering it all', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    client.send('x'.repeat(8 * 1024 * 1024))
    const closed = await Promise.race([client.closed, new Promise((r) => setTimeout(() => r('timeout'), 5000))])
    expect(closed).toEqual({code: 1009, reason: 'preauth payload too large'})
  })

  it('after hello-ok accepts a 100 KiB frame, and closes 1009 above maxPayload', async () => {
    const {url} = await start({maxPayload: 512 * 1024})
    const {client} = await connectClient(url)
    clients.push(client)
    const res = await client.request('health', {pad: 'x'.repeat(100 * 1024)})
    expect(res.ok).toBe(true)
    client.send(JSON.stringify({type: 'req', id: 'huge', method: 'health', params: {pad: 'x'.repeat(600 * 1024)}}))
    expect((await client.closed).code).toBe(1009)
  })

  it('queues frames sent during connect and drops the socket past 15 of them', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    // A wrong secret from loopback is answered after a delay, so these frames arrive while connecting.
    client.send({type: 'req', id: 'c', method: 'connect', params: connectParams({auth: {token: 'bad'}})})
    for (let i = 0; i < 16; i++) client.send({type: 'req', id: `q${i}`, method: 'health'})
    expect(await client.closed).toEqual({code: 1008, reason: 'too many pending handshake frames'})
    expect(client.frames.filter((f) => f.type === 'res')).toEqual([])
  })

  it('runs requests sent right behind connect after hello-ok, in order', async () => {
    const {url} = await start()
    const client = await open(url)
    await client.challenge()
    client.send({type: 'req', id: 'c', method: 'connect', params: connectParams()})
    client.send({type: 'req', id: 'h1', method: 'health'})
    client.send({type: 'req', id: 'h2', method: 'status'})
    await client.next((f) => f.id === 'h2')
    const ids = client.frames.filter((f) => f.type === 'res').map((f) => f.id)
    expect(ids[0]).toBe('c')
    expect(ids.sort()).toEqual(['c', 'h1', 'h2'])
  })

  it('delays repeated loopback auth failures (250 ms, then 500 ms)', async () => {
    const {url} = await start()
    const durations: number[] = []
    for (let i = 0; i < 2; i++) {
      const client = await open(url)
      await client.challenge()
      const t0 = Date.now()
      const res = await client.request('connect', connectParams({auth: {token: 'bad'}}))
      durations.push(Date.now() - t0)
      expect(res.error.details.code).toBe('AUTH_TOKEN_MISMATCH')
    }
    expect(durations[0]).toBeGreaterThanOrEqual(240)
    expect(durations[1]).toBeGreaterThanOrEqual(490)
  })

  it('treats a proxied loopback cli as remote: no scopes, so status is forbidden but health works', async () => {
    const {url} = await start()
    const {client, res} = await connectClient(url, connectParams(), {'X-Forwarded-For': '198.51.100.7'})
    clients.push(client)
    expect(res.payload.auth.scopes).toEqual([])
    expect((await client.request('status')).error).toMatchObject({code: 'FORBIDDEN', message: 'missing scope: operator.read'})
    expect((await client.request('health')).ok).toBe(true)
  })

  it('auth mode none needs no secret', async () => {
    const {url} = await start({auth: {mode: 'none'}})
    const {client, res} = await connectClient(url, connectParams({auth: undefined, scopes: ['operator.read']}))
    clients.push(client)
    expect(res.payload.auth).toEqual({role: 'operator', scopes: ['operator.read'], method: 'none'})
  })

  it('keeps a session open through bad frames after hello-ok', async () => {
    const {url} = await start()
    const {client} = await connectClient(url)
    clients.push(client)
    client.send('garbage')
    client.send(Buffer.from([1, 2, 3]))
    client.send(`{"type":"req","id":"deep","method":"health","params":${'['.repeat(5000)}${']'.repeat(5000)}}`)
    expect((await client.request('connect', connectParams())).error.message).toBe('connect is only valid as the first request')
    expect((await client.request('no.such.method')).error.message).toBe('unknown method: no.such.method')
    const health = await client.request('health')
    expect(health.ok).toBe(true)
    const invalid = client.frames.filter((f) => f.id === 'invalid')
    expect(invalid).toHaveLength(3)
    expect(invalid.every((f) => f.error.code === 'INVALID_REQUEST' && f.error.message.startsWith('invalid request frame: '))).toBe(true)
  })

  it('accepts the token for a non-cli client but grants it no scopes without a device (§4.4)', async () => {
    const {url} = await start()
    const {client, res} = await connectClient(url, connectParams({client: {id: 'openclaw-control-ui', mode: 'ui', version: '1', platform: 'web'}}))
    clients.push(client)
    expect(res.payload.auth.scopes).toEqual([])
    expect(TOKEN).not.toBe('')
  })
})
