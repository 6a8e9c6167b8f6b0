import {describe, expect, it} from 'vitest'

import {bearerMatches, checkSharedSecret, secretsEqual, type GatewayAuthSettings} from '../../../src/runtime/gateway/server/auth.js'
import type {ClientId} from '../../../src/runtime/gateway/protocol/frames.js'

const client = (id: ClientId) => ({id, mode: 'cli' as const, version: '1', platform: 'linux'})

describe('checkSharedSecret (protocol §4.1)', () => {
  it.each<[string, GatewayAuthSettings, Record<string, string> | undefined, ClientId, string | null, string | null, boolean]>([
    ['token ok', {mode: 'token', token: 't'}, {token: 't'}, 'cli', null, null, false],
    ['token via password field', {mode: 'token', token: 't'}, {password: 't'}, 'cli', null, null, false],
    ['password ok', {mode: 'password', password: 'p'}, {password: 'p'}, 'cli', null, null, false],
    ['password via token field', {mode: 'password', password: 'p'}, {token: 'p'}, 'cli', null, null, false],
    ['none', {mode: 'none'}, undefined, 'cli', null, null, false],
    ['token missing (cli)', {mode: 'token', token: 't'}, undefined, 'cli',
      "unauthorized: gateway token missing (use this gateway's gateway.auth.token)", 'AUTH_TOKEN_MISSING', false],
    ['token missing (other)', {mode: 'token', token: 't'}, {}, 'webchat',
      'unauthorized: gateway token missing (provide gateway auth token)', 'AUTH_TOKEN_MISSING', false],
    ['token mismatch (cli)', {mode: 'token', token: 't'}, {token: 'x'}, 'cli',
      "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)", 'AUTH_TOKEN_MISMATCH', true],
    ['token mismatch (other)', {mode: 'token', token: 't'}, {token: 'x'}, 'openclaw-macos',
      'unauthorized: gateway token mismatch (provide gateway auth token)', 'AUTH_TOKEN_MISMATCH', true],
    ['token field wins over password field', {mode: 'token', token: 't'}, {token: 'x', password: 't'}, 'cli',
      "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token)", 'AUTH_TOKEN_MISMATCH', true],
    ['token not configured', {mode: 'token'}, {token: 't'}, 'cli',
      'unauthorized: gateway token not configured on gateway (set gateway.auth.token)', 'AUTH_TOKEN_NOT_CONFIGURED', false],
    ['password missing', {mode: 'password', password: 'p'}, {}, 'cli',
      "unauthorized: gateway password missing (use this gateway's gateway.auth.password)", 'AUTH_PASSWORD_MISSING', false],
    ['password mismatch', {mode: 'password', password: 'p'}, {password: 'q'}, 'test',
      'unauthorized: gateway password mismatch (provide gateway auth password)', 'AUTH_PASSWORD_MISMATCH', true],
    ['password not configured', {mode: 'password', password: ''}, {password: 'q'}, 'cli',
      'unauthorized: gateway password not configured on gateway (set gateway.auth.password)', 'AUTH_PASSWORD_NOT_CONFIGURED', false],
  ])('%s', (_name, settings, auth, clientId, message, code, counts) => {
    const result = checkSharedSecret(settings, {auth, client: client(clientId)})
    if (message === null) {
      expect(result).toEqual({ok: true, method: settings.mode})
      return
    }
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toBe(message)
    expect(result.details.code).toBe(code)
    expect(result.details.canRetryWithDeviceToken).toBe(false)
    expect(result.details.recommendedNextStep).toBe(code?.endsWith('MISMATCH') ? 'update_auth_credentials' : 'update_auth_configuration')
    expect(result.counts).toBe(counts)
  })

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('a', 'a'.repeat(1000))).toBe(false)
    expect(secretsEqual('same', 'same')).toBe(true)
  })

  it.each([
    ['Bearer tok', true], ['Bearer pw', true], ['Bearer nope', false], ['tok', false], ['Basic tok', false], [undefined, false], ['Bearer ', false],
  ])('bearerMatches(%j) = %s', (header, expected) => {
    expect(bearerMatches({mode: 'token', token: 'tok', password: 'pw'}, header)).toBe(expected)
  })
})
