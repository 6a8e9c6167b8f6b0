import {describe, expect, it} from 'vitest'

import type {Config} from '../../../src/runtime/config/schema/index.js'
import {AppError} from '../../../src/runtime/errors/app-error.js'
import {resolveGatewayTarget, resolveRemoteTarget, type GatewayTargetInputs} from '../../../src/runtime/gateway/client/target.js'

const cfg = (gateway: Record<string, unknown>) => ({gateway}) as unknown as Config

const local = cfg({port: 18789, mode: 'local', auth: {token: 'cfg-auth-token'}, remote: {url: 'wss://remote.example/gw', token: 'cfg-remote-token'}})
const remote = cfg({port: 18789, mode: 'remote', auth: {token: 'cfg-auth-token'}, remote: {url: 'wss://remote.example/gw', token: 'cfg-remote-token'}})
const bare = cfg({port: 18789})

type Case = [name: string, inputs: GatewayTargetInputs, expected: Record<string, unknown>]

const cases: Case[] = [
  ['defaults: loopback on 18789, nothing configured', {flags: {}, env: {}, config: null}, {url: 'ws://127.0.0.1:18789', source: 'loopback', explicit: false}],
  ['--port picks the loopback port', {flags: {port: 19000}, env: {OPENCLAW_GATEWAY_PORT: '18000'}, config: bare}, {url: 'ws://127.0.0.1:19000', source: 'loopback'}],
  ['OPENCLAW_GATEWAY_PORT beats gateway.port', {flags: {}, env: {OPENCLAW_GATEWAY_PORT: '127.0.0.1:18000'}, config: cfg({port: 17000})}, {url: 'ws://127.0.0.1:18000'}],
  ['gateway.port', {flags: {}, env: {}, config: cfg({port: 17000})}, {url: 'ws://127.0.0.1:17000'}],
  ['--url with --token uses only the flag secret', {flags: {url: 'ws://10.0.0.5:18789', token: 'flag-t'}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t', OPENCLAW_GATEWAY_PASSWORD: 'env-p'}, config: local}, {url: 'ws://10.0.0.5:18789', token: 'flag-t', password: undefined, source: 'flag', explicit: true}],
  ['--url with --password', {flags: {url: 'wss://h.example', password: 'flag-p'}, env: {}, config: local}, {url: 'wss://h.example', password: 'flag-p', token: undefined, source: 'flag'}],
  ['--url beats OPENCLAW_GATEWAY_URL and remote mode', {flags: {url: 'ws://a:1', token: 't'}, env: {OPENCLAW_GATEWAY_URL: 'ws://b:2'}, config: remote}, {url: 'ws://a:1', source: 'flag'}],
  ['OPENCLAW_GATEWAY_URL takes only env secrets', {flags: {}, env: {OPENCLAW_GATEWAY_URL: 'ws://b:2', OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: local}, {url: 'ws://b:2', token: 'env-t', source: 'env', explicit: true}],
  ['OPENCLAW_GATEWAY_URL never takes config secrets', {flags: {}, env: {OPENCLAW_GATEWAY_URL: 'ws://b:2'}, config: local}, {url: 'ws://b:2', token: undefined, password: undefined}],
  ['OPENCLAW_GATEWAY_URL: flag secrets still win', {flags: {token: 'flag-t'}, env: {OPENCLAW_GATEWAY_URL: 'ws://b:2', OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: null}, {token: 'flag-t'}],
  ['OPENCLAW_GATEWAY_URL beats remote mode', {flags: {}, env: {OPENCLAW_GATEWAY_URL: 'ws://b:2'}, config: remote}, {url: 'ws://b:2', source: 'env'}],
  ['remote mode uses gateway.remote.url and its token first', {flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: remote}, {url: 'wss://remote.example/gw', token: 'cfg-remote-token', source: 'remote-config', explicit: true}],
  ['remote mode: env token before gateway.auth.token', {flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: cfg({mode: 'remote', auth: {token: 'cfg-auth-token'}, remote: {url: 'ws://r:1'}})}, {url: 'ws://r:1', token: 'env-t'}],
  ['remote mode: gateway.auth.token last', {flags: {}, env: {}, config: cfg({mode: 'remote', auth: {token: 'cfg-auth-token'}, remote: {url: 'ws://r:1'}})}, {token: 'cfg-auth-token'}],
  ['remote mode: --token wins', {flags: {token: 'flag-t'}, env: {}, config: remote}, {url: 'wss://remote.example/gw', token: 'flag-t'}],
  ['local mode ignores gateway.remote.url', {flags: {}, env: {}, config: local}, {url: 'ws://127.0.0.1:18789', token: 'cfg-auth-token', source: 'loopback'}],
  ['local: gateway.auth.token beats OPENCLAW_GATEWAY_TOKEN', {flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: local}, {token: 'cfg-auth-token'}],
  ['local: env token beats gateway.remote.token', {flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: cfg({remote: {token: 'cfg-remote-token'}})}, {token: 'env-t'}],
  ['local: gateway.remote.token last', {flags: {}, env: {}, config: cfg({remote: {token: 'cfg-remote-token'}})}, {token: 'cfg-remote-token'}],
  ['local: --token and --password win', {flags: {token: 'flag-t', password: 'flag-p'}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: local}, {token: 'flag-t', password: 'flag-p'}],
  ['local: password order alike', {flags: {}, env: {OPENCLAW_GATEWAY_PASSWORD: 'env-p'}, config: cfg({auth: {password: 'cfg-p'}})}, {password: 'cfg-p', token: undefined}],
  ['mode unset counts as local', {flags: {}, env: {}, config: cfg({remote: {url: 'ws://r:1', token: 'cfg-remote-token'}})}, {url: 'ws://127.0.0.1:18789', source: 'loopback', token: 'cfg-remote-token'}],
  [
    'invalid config: well-typed authored parts are used, ${VAR} substituted',
    {flags: {}, env: {GW_TOKEN: 'from-var'}, config: null, authored: {gateway: {port: 17001, auth: {token: '${GW_TOKEN}'}, bogus: true}}},
    {url: 'ws://127.0.0.1:17001', token: 'from-var'},
  ],
  [
    'invalid config: remote mode read from the authored tree',
    {flags: {}, env: {}, config: null, authored: {gateway: {mode: 'remote', port: 'abc', remote: {url: 'wss://r.example', token: 'rt'}}}},
    {url: 'wss://r.example', token: 'rt', source: 'remote-config'},
  ],
  [
    'invalid config: a missing variable makes the value unusable',
    {flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: null, authored: {gateway: {auth: {token: '${MISSING_VAR}'}}}},
    {token: 'env-t'},
  ],
  ['invalid config: ill-typed values fall back to defaults', {flags: {}, env: {}, config: null, authored: {gateway: {port: 'abc', mode: 42, auth: {token: 7}}}}, {url: 'ws://127.0.0.1:18789', token: undefined}],
]

describe('resolveGatewayTarget', () => {
  it.each(cases)('%s', (_name, inputs, expected) => {
    const target = resolveGatewayTarget(inputs)
    for (const [key, value] of Object.entries(expected)) expect(target[key as keyof typeof target], key).toEqual(value)
  })

  it.each<[string, GatewayTargetInputs, string, string]>([
    ['--url without credentials', {flags: {url: 'ws://10.0.0.5:18789'}, env: {OPENCLAW_GATEWAY_TOKEN: 'env-t'}, config: local}, 'USAGE', 'gateway url override requires explicit credentials'],
    ['--url with an empty token', {flags: {url: 'ws://10.0.0.5:18789', token: ''}, env: {}, config: null}, 'USAGE', 'gateway url override requires explicit credentials'],
    ['--url that is not ws', {flags: {url: 'http://x:1', token: 't'}, env: {}, config: null}, 'USAGE', 'invalid --url "http://x:1": expected a ws:// or wss:// URL'],
    ['bad OPENCLAW_GATEWAY_URL', {flags: {}, env: {OPENCLAW_GATEWAY_URL: 'nope'}, config: null}, 'ENV_INVALID', 'OPENCLAW_GATEWAY_URL: expected a ws:// or wss:// URL, got "nope"'],
    ['bad OPENCLAW_GATEWAY_PORT', {flags: {}, env: {OPENCLAW_GATEWAY_PORT: 'x'}, config: null}, 'ENV_INVALID', 'OPENCLAW_GATEWAY_PORT: expected a port number (1-65535), got "x"'],
  ])('rejects %s', (_name, inputs, code, message) => {
    let error: unknown
    try {
      resolveGatewayTarget(inputs)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({code, message})
    if (code === 'USAGE') expect((error as AppError).exitCode).toBe(2)
  })
})

describe('resolveRemoteTarget', () => {
  it.each<[string, GatewayTargetInputs, Record<string, unknown> | null]>([
    ['none configured', {flags: {}, env: {}, config: bare}, null],
    ['configured in local mode too (gateway probe)', {flags: {}, env: {}, config: local}, {url: 'wss://remote.example/gw', token: 'cfg-remote-token', source: 'remote-config'}],
    ['an unusable URL is skipped', {flags: {}, env: {}, config: null, authored: {gateway: {remote: {url: 'http://x'}}}}, null],
  ])('%s', (_name, inputs, expected) => {
    const target = resolveRemoteTarget(inputs)
    if (expected === null) expect(target).toBeNull()
    else expect(target).toMatchObject(expected)
  })
})
