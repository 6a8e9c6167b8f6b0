import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'
import {WebSocketServer, type WebSocket} from 'ws'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {callGateway, connectGateway, isConnectionRefused} from '../../../src/runtime/gateway/client/client.js'
import {scopesForMethod} from '../../../src/runtime/gateway/client/scopes.js'
import {PASSWORD_HINT, TOKEN_HINT} from '../../../src/runtime/gateway/client/errors.js'

/** A gateway that speaks the wire format the way the reference does: challenge → hello-ok → res. */
interface FakeBehaviour {
  /** Skip the challenge (to test the challenge timeout). */
  silent?: boolean
  /** Answer to `connect`; default hello-ok. Return null to never answer. */
  onConnect?: (params: Record<string, unknown>, attempt: number) => {ok: true; payload: unknown} | {ok: false; error: unknown; close?: [number, string]} | null
  /** Answers to requests after the handshake: a list of frames to send (without id), or null for silence. */
  onRequest?: (frame: {method: string; params?: unknown}, socket: WebSocket) => Array<Record<string, unknown>> | null
}

interface FakeGateway {
  url: string
  port: number
  connects: Array<Record<string, unknown>>
  requests: Array<Record<string, unknown>>
  close(): Promise<void>
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function helloOk(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'hello-ok',
    protocol: 4,
    server: {version: '2026.9.6', connId: 'c-1', buildId: 'upstream-extra'},
    features: {methods: ['health', 'status'], events: ['connect.challenge', 'tick'], capabilities: ['x']},
    snapshot: {presence: [], health: {ok: true}, stateVersion: {presence: 0, health: 0}, uptimeMs: 1234, suspension: null},
    auth: {role: 'operator', scopes: [], recoveryScope: 'x'},
    policy: {maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: 30_000, attachments: {}},
    ...overrides,
  }
}

async function startFake(behaviour: FakeBehaviour = {}): Promise<FakeGateway> {
  const wss = new WebSocketServer({host: '127.0.0.1', port: 0})
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const connects: Array<Record<string, unknown>> = []
  const requests: Array<Record<string, unknown>> = []
  wss.on('connection', (socket) => {
    if (!behaviour.silent) socket.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'n-1', ts: Date.now(), capabilities: []}}))
    let authed = false
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as {type: string; id: string; method: string; params?: Record<string, unknown>}
      if (!authed) {
        connects.push(frame as unknown as Record<string, unknown>)
        const answer = behaviour.onConnect ? behaviour.onConnect(frame.params ?? {}, connects.length) : {ok: true as const, payload: helloOk()}
        if (answer === null) return
        if (answer.ok) {
          authed = true
          socket.send(JSON.stringify({type: 'res', id: frame.id, ok: true, payload: answer.payload}))
        } else {
          socket.send(JSON.stringify({type: 'res', id: frame.id, ok: false, error: answer.error}))
          socket.close(...(answer.close ?? [1008, 'refused']))
        }
        return
      }
      requests.push(frame as unknown as Record<string, unknown>)
      const frames = behaviour.onRequest ? behaviour.onRequest(frame, socket) : [{type: 'res', ok: true, payload: {ok: true, method: frame.method}}]
      for (const out of frames ?? []) socket.send(JSON.stringify(out.type === 'res' && out.id === undefined ? {...out, id: frame.id} : out))
    })
  })
  const port = (wss.address() as AddressInfo).port
  const gateway: FakeGateway = {
    url: `ws://127.0.0.1:${port}`,
    port,
    connects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
  cleanups.push(() => gateway.close())
  return gateway
}

const clientInfo = {version: '0.1.0'}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('callGateway', () => {
  it('runs challenge → connect → hello-ok → req and returns the payload', async () => {
    const gw = await startFake()
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'health'})
    expect(result.payload).toEqual({ok: true, method: 'health'})
    expect(result.hello.server.version).toBe('2026.9.6')
    expect(result.hello.snapshot.uptimeMs).toBe(1234)
    // Exactly the fields of protocol §9 step 4.
    const connect = gw.connects[0] as {type: string; method: string; params: Record<string, unknown>}
    expect(Object.keys(connect).sort()).toEqual(['id', 'method', 'params', 'type'])
    expect(connect.method).toBe('connect')
    expect(connect.params).toEqual({
      minProtocol: 3,
      maxProtocol: 4,
      client: {id: 'cli', version: '0.1.0', platform: process.platform, mode: 'cli', instanceId: expect.stringMatching(/^[0-9a-f-]{36}$/)},
      role: 'operator',
      scopes: [],
      caps: [],
      auth: {token: 't'},
    })
    expect(Object.keys(gw.requests[0]).sort()).toEqual(['id', 'method', 'type'])
  })

  it('sends params, the method scopes and a password when that is the secret', async () => {
    const gw = await startFake()
    await callGateway({url: gw.url, password: 'pw', timeoutMs: 5000, clientInfo, method: 'config.get', params: {}})
    const params = (gw.connects[0] as {params: Record<string, unknown>}).params
    expect(params.scopes).toEqual(['operator.read'])
    expect(params.auth).toEqual({password: 'pw'})
    expect(gw.requests[0]).toMatchObject({type: 'req', method: 'config.get', params: {}})
  })

  it('omits auth when no secret resolved', async () => {
    const gw = await startFake()
    await callGateway({url: gw.url, timeoutMs: 5000, clientInfo, method: 'health'})
    expect((gw.connects[0] as {params: Record<string, unknown>}).params).not.toHaveProperty('auth')
  })

  it('ignores events, unknown frame types and responses to other ids', async () => {
    const gw = await startFake({
      onRequest: () => [
        {type: 'event', event: 'tick', payload: {ts: 1}, seq: 1},
        {type: 'something-new'},
        {type: 'res', id: 'not-ours', ok: true, payload: 'wrong'},
        {type: 'res', ok: true, payload: 'right'},
      ],
    })
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'status'})
    expect(result.payload).toBe('right')
  })

  it('maps an auth refusal to GATEWAY_AUTH_FAILED with the gateway message and the token hint', async () => {
    const message = "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)"
    const gw = await startFake({
      onConnect: () => ({ok: false, error: {code: 'INVALID_REQUEST', message, details: {code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials'}}}),
    })
    const error = await failure(callGateway({url: gw.url, token: 'bad', tokenSource: 'OPENCLAW_GATEWAY_TOKEN', timeoutMs: 5000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_AUTH_FAILED')
    expect(error.message).toBe(message)
    // The fingerprint of "bad", never the token itself.
    expect(error.hint).toEqual(['The CLI sent the token from OPENCLAW_GATEWAY_TOKEN (sha256:2f05d4b6)', TOKEN_HINT])
    expect(JSON.stringify(error)).not.toContain('"bad"')
    expect(error.type).toBe('gateway_transport_error')
    expect(error.details).toMatchObject({url: gw.url, phase: 'handshake', requestSent: false, gatewayError: {details: {code: 'AUTH_TOKEN_MISMATCH'}}})
    expect(gw.connects).toHaveLength(1)
  })

  it('maps a password refusal to the password hint', async () => {
    const gw = await startFake({onConnect: () => ({ok: false, error: {code: 'INVALID_REQUEST', message: 'unauthorized: gateway password missing (x)', details: {code: 'AUTH_PASSWORD_MISSING'}}})})
    const error = await failure(callGateway({url: gw.url, timeoutMs: 5000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_AUTH_FAILED')
    expect(error.hint).toEqual(['The CLI sent no password; pass one: --password <password> (or set OPENCLAW_GATEWAY_PASSWORD)', PASSWORD_HINT])
  })

  it('maps a protocol mismatch answer to GATEWAY_PROTOCOL and does not retry', async () => {
    const gw = await startFake({
      onConnect: () => ({
        ok: false,
        error: {code: 'INVALID_REQUEST', message: 'protocol mismatch', details: {code: 'PROTOCOL_MISMATCH', clientMinProtocol: 3, clientMaxProtocol: 4, expectedProtocol: 6, minimumProtocol: 5}},
        close: [1002, 'protocol mismatch'],
      }),
    })
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_PROTOCOL')
    expect(error.message).toBe('protocol mismatch: this client speaks 3-4; the gateway speaks 5-6')
    expect(gw.connects).toHaveLength(1)
  })

  it('refuses a hello-ok outside protocol 3-4', async () => {
    const gw = await startFake({onConnect: () => ({ok: true, payload: helloOk({protocol: 5})})})
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_PROTOCOL')
    expect(error.message).toContain('chose protocol 5')
  })

  it('times out waiting for connect.challenge within the budget', async () => {
    const gw = await startFake({silent: true})
    const started = Date.now()
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 300, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_TIMEOUT')
    expect(error.message).toBe(`gateway at ${gw.url} did not answer within 300 ms (waiting for connect.challenge)`)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('times out waiting for the response, naming the whole budget', async () => {
    const gw = await startFake({onRequest: () => null})
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 400, clientInfo, method: 'status'}))
    expect(error.code).toBe('GATEWAY_TIMEOUT')
    expect(error.message).toBe(`gateway at ${gw.url} did not answer within 400 ms (waiting for the status response)`)
    expect(error.details).toMatchObject({phase: 'request', requestSent: true})
  })

  it('reports an unreachable port as GATEWAY_UNREACHABLE (connection refused)', async () => {
    const gw = await startFake()
    await gw.close()
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 2000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_UNREACHABLE')
    expect(error.message).toBe(`gateway not reachable at ${gw.url}: connection refused`)
    expect(error.hint).toEqual(['Start it: openclaw gateway start (or run it here: openclaw gateway run)'])
    expect(error.exitCode).toBe(1)
    expect(isConnectionRefused(error)).toBe(true)
  })

  it('reports a plain HTTP server as GATEWAY_PROTOCOL', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(404).end('{"error":"not found"}'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
    const error = await failure(callGateway({url, token: 't', timeoutMs: 2000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_PROTOCOL')
    expect(error.message).toContain('answered HTTP 404')
  })

  it('retries a starting gateway (UNAVAILABLE, retryable) within the budget', async () => {
    const gw = await startFake({
      onConnect: (_params, attempt) =>
        attempt < 3
          ? {ok: false, error: {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', retryable: true, retryAfterMs: 50, details: {reason: 'startup-sidecars'}}, close: [1013, 'gateway starting']}
          : {ok: true, payload: helloOk()},
    })
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'health'})
    expect(result.payload).toEqual({ok: true, method: 'health'})
    expect(gw.connects).toHaveLength(3)
  })

  it('gives up on a gateway that stays unavailable when the budget ends', async () => {
    const gw = await startFake({
      onConnect: () => ({ok: false, error: {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', retryable: true, retryAfterMs: 100}, close: [1013, 'gateway starting']}),
    })
    // 3 s leaves a loaded machine (full suite on 2 cores) room for two connects; retrying without the
    // 100 ms pause would make hundreds.
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 3000, clientInfo, method: 'health'}))
    expect(error.code).toBe('GATEWAY_TIMEOUT')
    expect(error.message).toContain('last answer: gateway starting; retry shortly')
    expect(gw.connects.length).toBeGreaterThanOrEqual(2)
    expect(gw.connects.length).toBeLessThanOrEqual(45)
  })

  it('maps ok:false to GATEWAY_REQUEST_FAILED carrying the ErrorShape', async () => {
    const shape = {code: 'INVALID_REQUEST', message: 'invalid config.patch params: raw: expected string', details: {code: 'X'}}
    const gw = await startFake({onRequest: () => [{type: 'res', ok: false, error: shape}]})
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'config.patch', params: {}}))
    expect(error.code).toBe('GATEWAY_REQUEST_FAILED')
    expect(error.message).toBe(shape.message)
    expect(error.details).toEqual(shape)
    expect(error.type).toBe('cli_error')
  })

  it("reads an upstream FORBIDDEN for an unadvertised method as 'unknown method'", async () => {
    const gw = await startFake({onRequest: () => [{type: 'res', ok: false, error: {code: 'FORBIDDEN', message: 'missing scope: operator.admin'}}]})
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'nope.nothing'}))
    expect(error.message).toBe('unknown method: nope.nothing')
    expect(error.details).toMatchObject({code: 'INVALID_REQUEST'})
    expect((gw.connects[0] as {params: {scopes: string[]}}).params.scopes).toHaveLength(5)
  })

  it('reports a close during the request as GATEWAY_CLOSED', async () => {
    const gw = await startFake({
      onRequest: (_frame, socket) => {
        socket.close(1012, 'service restart')
        return null
      },
    })
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'status'}))
    expect(error.code).toBe('GATEWAY_CLOSED')
    expect(error.details).toMatchObject({closeCode: 1012, closeReason: 'service restart', requestSent: true})
  })
})

describe('expect-final (two responses with one id)', () => {
  const twoResponses = () => [
    {type: 'res', ok: true, payload: {runId: 'r1', status: 'accepted', sessionKey: 'agent:main:main', agentId: 'main', acceptedAt: 1}},
    {type: 'event', event: 'agent', payload: {runId: 'r1', seq: 1, stream: 'lifecycle', ts: 2, data: {phase: 'start'}}, seq: 1},
    {type: 'res', ok: true, payload: {runId: 'r1', status: 'ok', summary: 'completed'}},
  ]

  it('returns the first response without --expect-final', async () => {
    const gw = await startFake({onRequest: twoResponses})
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'agent', params: {message: 'hi', idempotencyKey: 'r1'}})
    expect(result.payload).toMatchObject({status: 'accepted'})
  })

  it('waits for the final response with --expect-final and reports the accepted one', async () => {
    const gw = await startFake({onRequest: twoResponses})
    const accepted: unknown[] = []
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'agent', params: {message: 'hi', idempotencyKey: 'r1'}, expectFinal: true, onAccepted: (p) => accepted.push(p)})
    expect(result.payload).toEqual({runId: 'r1', status: 'ok', summary: 'completed'})
    expect(accepted).toEqual([expect.objectContaining({status: 'accepted'})])
    expect((gw.connects[0] as {params: {scopes: string[]}}).params.scopes).toEqual(['operator.write'])
  })

  it('takes in_flight as the answer', async () => {
    const gw = await startFake({onRequest: () => [{type: 'res', ok: true, payload: {runId: 'r1', status: 'in_flight'}}]})
    const result = await callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'agent', params: {message: 'hi', idempotencyKey: 'r1'}, expectFinal: true})
    expect(result.payload).toEqual({runId: 'r1', status: 'in_flight'})
  })

  it('fails with the final ok:false and keeps its payload as the result', async () => {
    const gw = await startFake({
      onRequest: () => [
        {type: 'res', ok: true, payload: {runId: 'r1', status: 'accepted'}},
        {type: 'res', ok: false, error: {code: 'UNAVAILABLE', message: 'model failed'}, payload: {runId: 'r1', status: 'error', summary: 'model failed'}},
      ],
    })
    const error = await failure(callGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, method: 'agent', params: {message: 'hi', idempotencyKey: 'r1'}, expectFinal: true}))
    expect(error.code).toBe('GATEWAY_REQUEST_FAILED')
    expect(error.result).toEqual({runId: 'r1', status: 'error', summary: 'model failed'})
  })
})

describe('connectGateway', () => {
  it('keeps one socket for concurrent requests and delivers events', async () => {
    const gw = await startFake({
      onRequest: (frame) => [
        {type: 'event', event: 'presence', payload: {presence: []}, seq: 1},
        {type: 'res', ok: true, payload: frame.method},
      ],
    })
    const connection = await connectGateway({url: gw.url, token: 't', timeoutMs: 5000, clientInfo, scopes: ['operator.read']})
    const events: string[] = []
    connection.onEvent((e) => events.push(e.event))
    const closed = new Promise<number>((resolve) => connection.onClose(({code}) => resolve(code)))
    const [a, b] = await Promise.all([connection.request('status'), connection.request('system-presence')])
    expect([a, b]).toEqual(['status', 'system-presence'])
    expect(events).toEqual(['presence', 'presence'])
    connection.close()
    expect(await closed).toBe(1000)
    const error = await failure(connection.request('status'))
    expect(error.code).toBe('GATEWAY_CLOSED')
  })
})

describe('scopesForMethod', () => {
  it.each([
    ['health', undefined, []],
    ['status', undefined, ['operator.read']],
    ['config.patch', undefined, ['operator.admin']],
    ['agent', {message: 'hello'}, ['operator.write']],
    ['agent', {message: '/reset'}, ['operator.admin']],
    ['agent', {message: '/new now'}, ['operator.admin']],
    ['channels.pairing.approve', undefined, ['operator.pairing']],
    ['exec.approval.resolve', undefined, ['operator.approvals']],
    ['toString', undefined, ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing']],
    ['some.future.method', undefined, ['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing']],
  ])('%s %j → %j', (method, params, scopes) => {
    expect(scopesForMethod(method, params)).toEqual(scopes)
  })
})
