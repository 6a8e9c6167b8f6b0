import {describe, expect, it} from 'vitest'

import {AuthRateLimiter} from '../../../src/runtime/gateway/server/auth-rate-limit.js'
import {decideConnect, negotiateProtocol, type HandshakeContext} from '../../../src/runtime/gateway/server/handshake.js'
import type {RequestFrame} from '../../../src/runtime/gateway/protocol/frames.js'

const params = (over: Record<string, unknown> = {}) => ({
  minProtocol: 3, maxProtocol: 4, client: {id: 'cli', mode: 'cli', version: '1', platform: 'linux'}, scopes: ['operator.read'], auth: {token: 't'}, ...over,
})
const req = (p: unknown, method = 'connect'): RequestFrame => ({type: 'req', id: 'c1', method, params: p})
const ctx = (over: Partial<HandshakeContext> = {}): HandshakeContext => ({
  phase: 'running', auth: {mode: 'token', token: 't'}, limiter: new AuthRateLimiter(),
  peer: {ip: '127.0.0.1', loopback: true, origin: undefined, originAllowed: false}, nonce: 'n', ...over,
})

describe('negotiateProtocol (§3.3)', () => {
  it.each([[3, 4, 4], [4, 4, 4], [3, 3, 3], [1, 3, 3], [1, 9, 4], [4, 9, 4], [5, 9, undefined], [1, 2, undefined], [4, 3, undefined]])(
    '[%i, %i] → %s', (min, max, expected) => expect(negotiateProtocol(min, max)).toBe(expected))
})

describe('decideConnect: the §3.7 failure matrix, in order', () => {
  it.each<[string, RequestFrame, Partial<HandshakeContext>, Record<string, unknown>, number, string]>([
    ['first request not connect', req(params(), 'health'), {},
      {code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect'}, 1008, 'invalid handshake: first request must be connect'],
    ['missing params', req(undefined), {}, {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid connect params: minProtocol: /)}, 1008, ''],
    ['unknown client id', req(params({client: {id: 'nope', mode: 'cli', version: '1', platform: 'x'}})), {},
      {code: 'INVALID_REQUEST', message: expect.stringContaining('invalid connect params: client.id: ')}, 1008, ''],
    ['client.version missing', req(params({client: {id: 'cli', mode: 'cli', platform: 'x'}})), {},
      {code: 'INVALID_REQUEST', message: expect.stringContaining('client.version')}, 1008, ''],
    ['buildId too long', req(params({client: {id: 'cli', mode: 'cli', version: '1', platform: 'x', buildId: 'b'.repeat(97)}})), {},
      {code: 'INVALID_REQUEST', message: expect.stringContaining('client.buildId')}, 1008, ''],
    ['protocol mismatch', req(params({minProtocol: 5, maxProtocol: 6})), {},
      {code: 'INVALID_REQUEST', message: 'protocol mismatch', details: {code: 'PROTOCOL_MISMATCH', clientMinProtocol: 5, clientMaxProtocol: 6, expectedProtocol: 4, minimumProtocol: 3}},
      1002, 'protocol mismatch'],
    ['invalid role', req(params({role: 'admin'})), {}, {code: 'INVALID_REQUEST', message: 'invalid role'}, 1008, 'invalid role'],
    ['starting', req(params()), {phase: 'starting'},
      {code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', details: {reason: 'startup-sidecars'}, retryable: true, retryAfterMs: 500}, 1013, 'gateway starting'],
    ['draining', req(params()), {phase: 'draining'},
      {code: 'UNAVAILABLE', message: 'connect unavailable during gateway restart', retryable: true, retryAfterMs: 1000}, 1013, 'gateway restart in progress'],
    ['origin not allowed', req(params()), {peer: {ip: '127.0.0.1', loopback: true, origin: 'http://evil.example', originAllowed: false}},
      {code: 'INVALID_REQUEST', message: 'origin not allowed', details: {code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED'}}, 1008, 'origin not allowed'],
    ['token mismatch', req(params({auth: {token: 'bad'}})), {},
      {code: 'INVALID_REQUEST', message: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)",
        details: {code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: false, recommendedNextStep: 'update_auth_credentials'}},
      1008, "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)"],
    ['node without device', req(params({role: 'node'})), {},
      {code: 'NOT_PAIRED', message: 'device identity required', details: {code: 'DEVICE_IDENTITY_REQUIRED'}}, 1008, 'device identity required'],
  ])('%s', (_name, frame, over, error, closeCode, closeReason) => {
    const decision = decideConnect(frame, ctx(over))
    expect(decision.ok).toBe(false)
    if (decision.ok) return
    expect(decision.error).toEqual(error)
    expect(decision.closeCode).toBe(closeCode)
    if (closeReason !== '') expect(decision.closeReason).toBe(closeReason)
    else expect(decision.closeReason).toBe(decision.error.message)
  })

  it('checks the version before the role and the phase before the secret', () => {
    expect(decideConnect(req(params({minProtocol: 9, maxProtocol: 9, role: 'bad'})), ctx())).toMatchObject({closeCode: 1002})
    expect(decideConnect(req(params({auth: {token: 'bad'}})), ctx({phase: 'starting'}))).toMatchObject({closeCode: 1013})
  })

  it('locks out a remote IP after 10 wrong secrets, then refuses even the right one with retryAfterMs', () => {
    let now = 5_000_000
    const limiter = new AuthRateLimiter({}, () => now)
    const remote = ctx({limiter, peer: {ip: '10.1.1.1', loopback: false, origin: undefined, originAllowed: false}})
    for (let i = 0; i < 10; i++) expect(decideConnect(req(params({auth: {token: 'bad'}})), remote)).toMatchObject({ok: false, delayMs: 0})
    now += 1000
    const locked = decideConnect(req(params()), remote)
    expect(locked).toMatchObject({
      ok: false,
      error: {code: 'INVALID_REQUEST', message: 'unauthorized: too many failed authentication attempts (retry later)', retryable: true, retryAfterMs: 299_000,
        details: {code: 'AUTH_RATE_LIMITED', authReason: 'rate_limited', recommendedNextStep: 'wait_then_retry'}},
    })
  })

  it('delays loopback failures instead of locking out, unless the socket sent an Origin', () => {
    const limiter = new AuthRateLimiter()
    const delays = [1, 2, 3].map(() => decideConnect(req(params({auth: {token: 'bad'}})), ctx({limiter})))
    expect(delays.map((d) => (d.ok ? -1 : d.delayMs))).toEqual([250, 500, 1000])
    const browser = ctx({limiter, peer: {ip: '127.0.0.1', loopback: true, origin: 'http://127.0.0.1:1', originAllowed: true}})
    expect(decideConnect(req(params({auth: {token: 'bad'}})), browser)).toMatchObject({delayMs: 0})
  })

  it('does not count a missing secret as a guess', () => {
    const limiter = new AuthRateLimiter({maxAttempts: 1})
    const remote = ctx({limiter, peer: {ip: '10.0.0.9', loopback: false, origin: undefined, originAllowed: false}})
    decideConnect(req(params({auth: undefined})), remote)
    expect(decideConnect(req(params()), remote).ok).toBe(true)
  })

  it.each<[string, Record<string, unknown>, Partial<HandshakeContext>, unknown[]]>([
    ['loopback cli keeps requested scopes, unknown ones dropped', {scopes: ['operator.admin', 'operator.questions']}, {}, ['operator.admin']],
    ['remote cli gets no scopes', {}, {peer: {ip: '10.0.0.2', loopback: false, origin: undefined, originAllowed: false}}, []],
    ['mode none keeps scopes', {auth: undefined, client: {id: 'webchat', mode: 'webchat', version: '1', platform: 'x'}}, {auth: {mode: 'none'}}, ['operator.read']],
    ['absent scopes = []', {scopes: undefined}, {}, []],
  ])('accepts: %s', (_name, over, ctxOver, scopes) => {
    const decision = decideConnect(req(params(over)), ctx(ctxOver))
    expect(decision).toMatchObject({ok: true, protocol: 4, role: 'operator', scopes})
  })

  it('accepts unknown keys, every optional field, a device block and traceparent-style extras', () => {
    const decision = decideConnect(req(params({
      client: {id: 'cli', mode: 'cli', version: '1', platform: 'darwin', displayName: 'x', instanceId: 'i', deviceFamily: 'Mac',
        modelIdentifier: 'M1', buildId: 'b', timeZone: 'Europe/Paris', futureField: 1},
      caps: ['tool-events'], commands: ['a'], permissions: {camera: true}, pathEnv: '/bin', locale: 'en', userAgent: 'ua',
      auth: {token: 't', deviceToken: 'dt', bootstrapToken: 'b', approvalRuntimeToken: 'a', agentRuntimeIdentityToken: 'r', newer: 'x'},
      device: {id: 'd', publicKey: 'k', signature: 's', signedAt: 1, nonce: 'n'}, somethingNew: {a: 1},
    })), ctx())
    expect(decision.ok).toBe(true)
  })
})
