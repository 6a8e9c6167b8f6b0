import {chmodSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {bindHosts, checkGatewayMode, checkStateDir, resolveListener, type ListenerFlags} from '../../../../src/runtime/gateway/lifecycle/startup-checks.js'

const cfg = (gateway: Record<string, unknown> = {}) => ({gateway: {auth: {rateLimit: {}}, reload: {mode: 'hybrid', debounceMs: 300}, ...gateway}}) as unknown as Config
const plain = {inContainer: false, ipv6Loopback: false}

describe('bindHosts', () => {
  it.each([
    {bind: 'loopback', facts: plain, hosts: ['127.0.0.1']},
    {bind: 'loopback', facts: {...plain, ipv6Loopback: true}, hosts: ['127.0.0.1', '::1']},
    {bind: 'lan', facts: plain, hosts: ['0.0.0.0']},
    {bind: 'auto', facts: plain, hosts: ['127.0.0.1']},
    {bind: 'auto', facts: {...plain, inContainer: true}, hosts: ['0.0.0.0']},
    {bind: 'custom', host: '100.64.0.7', facts: plain, hosts: ['100.64.0.7', '127.0.0.1']},
    {bind: 'custom', host: '127.0.0.1', facts: plain, hosts: ['127.0.0.1']},
    {bind: 'custom', host: '0.0.0.0', facts: plain, hosts: ['0.0.0.0']},
  ] as const)('$bind $host → $hosts', ({bind, host, facts, hosts}) => {
    expect(bindHosts(bind, host, facts)).toEqual(hosts)
  })

  it('custom without a host is a 78', () => {
    expect(() => bindHosts('custom', undefined, plain)).toThrow(expect.objectContaining({code: 'GATEWAY_CONFIG', exitCode: 78}))
  })
})

const LAN_REFUSAL = 'refusing to bind gateway to 0.0.0.0:18789 without auth (set gateway.auth.token, or use --bind loopback)'
const TOKEN_REFUSAL = 'gateway.auth.mode is token but no token is set; generate one: openclaw config set gateway.auth.token "$(openssl rand -hex 24)"'
const PASSWORD_REFUSAL = 'gateway.auth.mode is password but no password is set; run: openclaw config set gateway.auth.password <password>'

describe('resolveListener (operations.md §3.1 step 3)', () => {
  it.each<{name: string; config?: Config | null; flags?: ListenerFlags; env?: Record<string, string>; refusal?: string; expected?: Record<string, unknown>}>([
    {name: 'loopback with a token flag', flags: {token: 't'}, expected: {port: 18789, bind: 'loopback', hosts: ['127.0.0.1'], auth: {mode: 'token', token: 't', tokenSource: 'flag'}}},
    {name: 'loopback, auth none is allowed', flags: {auth: 'none'}, expected: {hosts: ['127.0.0.1'], auth: {mode: 'none'}}},
    {name: 'loopback, token mode without a token', refusal: TOKEN_REFUSAL},
    {name: 'loopback, password mode without a password', flags: {auth: 'password'}, refusal: PASSWORD_REFUSAL},
    {name: 'password from the env', flags: {auth: 'password'}, env: {OPENCLAW_GATEWAY_PASSWORD: 'p'}, expected: {auth: {mode: 'password', password: 'p', passwordSource: 'env'}}},
    {name: 'lan with auth none', flags: {bind: 'lan', auth: 'none'}, refusal: LAN_REFUSAL},
    {name: 'lan in token mode with no token', flags: {bind: 'lan'}, refusal: LAN_REFUSAL},
    {name: 'lan with a config token', config: cfg({bind: 'lan', auth: {token: 'c', rateLimit: {}}}), expected: {bind: 'lan', hosts: ['0.0.0.0']}},
    {name: 'custom non-loopback without auth names that host', config: cfg({bind: 'custom', customBindHost: '10.1.2.3'}), flags: {auth: 'none', port: 4000}, refusal: 'refusing to bind gateway to 10.1.2.3:4000 without auth (set gateway.auth.token, or use --bind loopback)'},
    {name: 'port: flag beats env beats config', config: cfg({port: 3000}), flags: {port: 1000, token: 't'}, env: {OPENCLAW_GATEWAY_PORT: '2000'}, expected: {port: 1000}},
    {name: 'port: env beats config', config: cfg({port: 3000}), flags: {token: 't'}, env: {OPENCLAW_GATEWAY_PORT: '2000'}, expected: {port: 2000}},
    {name: 'an invalid OPENCLAW_GATEWAY_PORT is a 78', flags: {token: 't'}, env: {OPENCLAW_GATEWAY_PORT: 'x'}, refusal: 'OPENCLAW_GATEWAY_PORT: expected a port number (1-65535), got "x"'},
  ])('$name', ({config = null, flags = {}, env = {}, refusal, expected}) => {
    const run = () => resolveListener({config, authored: null, flags, env, facts: plain})
    if (refusal !== undefined) {
      expect(run).toThrow(expect.objectContaining({message: refusal, exitCode: 78}))
      return
    }
    expect(run().settings).toMatchObject(expected ?? {})
  })

  it('warns when the config token and OPENCLAW_GATEWAY_TOKEN differ, naming the winner', () => {
    const {warnings} = resolveListener({config: cfg({auth: {token: 'file', rateLimit: {}}}), authored: null, flags: {}, env: {OPENCLAW_GATEWAY_TOKEN: 'env'}, facts: plain})
    expect(warnings).toEqual(['gateway.auth.token in the config and OPENCLAW_GATEWAY_TOKEN differ; using gateway.auth.token from the config'])
  })
})

describe('checkGatewayMode (step 2)', () => {
  it.each([
    {mode: 'local', allow: false, error: undefined},
    {mode: undefined, allow: true, error: undefined},
    {mode: 'remote', allow: true, error: undefined},
    {mode: undefined, allow: false, error: 'gateway.mode is not set in /s/openclaw.json; run: openclaw config set gateway.mode local'},
    {mode: 'remote', allow: false, error: 'this config points at a remote gateway (gateway.mode=remote); set gateway.mode to local to run one here'},
  ])('mode $mode, allow-unconfigured $allow', ({mode, allow, error}) => {
    const run = () => checkGatewayMode(cfg({mode}), '/s/openclaw.json', allow)
    if (error === undefined) expect(run).not.toThrow()
    else expect(run).toThrow(expect.objectContaining({message: error, exitCode: 78, code: 'GATEWAY_CONFIG'}))
  })
})

describe('checkStateDir (step 4)', () => {
  let root: string | undefined
  afterEach(() => {
    if (root !== undefined) rmSync(root, {recursive: true, force: true})
    root = undefined
  })
  const uid = process.getuid?.() ?? null

  it('creates a missing state dir 0700', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'oc-state-'))
    const dir = path.join(root, '.openclaw')
    checkStateDir(dir, uid)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
  })

  it.each([0o777, 0o770, 0o702])('refuses mode %o with exit 78', (mode) => {
    root = mkdtempSync(path.join(os.tmpdir(), 'oc-state-'))
    chmodSync(root, mode)
    expect(() => checkStateDir(root!, uid ?? 0)).toThrow(expect.objectContaining({code: 'STATE_DIR_UNSAFE', exitCode: 78, message: `state dir ${root} is writable by other users; fix: chmod 700 ${root}`}))
  })

  it('refuses a state dir owned by another uid', () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'oc-state-'))
    const other = (statSync(root).uid + 1) % 65_536
    expect(() => checkStateDir(root!, other)).toThrow(expect.objectContaining({code: 'STATE_DIR_UNSAFE', exitCode: 78}))
  })
})
