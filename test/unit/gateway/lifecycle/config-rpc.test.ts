import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {dispatchRequest} from '../../../../src/runtime/gateway/server/dispatch.js'
import {HealthCache} from '../../../../src/runtime/gateway/server/health-cache.js'
import {readConfigSnapshot, redactRawText, type ConfigRpcHost} from '../../../../src/runtime/gateway/lifecycle/config-rpc.js'
import {CONFIG_TEXTS, restoreRedacted, writeConfigDocument} from '../../../../src/runtime/gateway/lifecycle/config-rpc-write.js'
import {configMethods} from '../../../../src/runtime/gateway/methods/config.js'
import {PresenceList} from '../../../../src/runtime/gateway/server/presence.js'
import {MethodRegistry} from '../../../../src/runtime/gateway/server/registry.js'
import type {GatewayServices} from '../../../../src/runtime/gateway/server/services.js'
import {resolvePaths} from '../../../../src/runtime/paths.js'
import {memoryLogger} from '../harness.js'

const R = '__OPENCLAW_REDACTED__'
let home: string
let host: ConfigRpcHost & {events: unknown[]; applied: number}
let configPath: string

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'oc-rpc-'))
  mkdirSync(path.join(home, '.openclaw'), {mode: 0o700})
  const paths = resolvePaths({env: {HOME: home}, cwd: home})
  configPath = paths.configPath
  const events: unknown[] = []
  host = {
    paths, version: '9.9.9', env: {HOME: home}, events, applied: 0,
    envFromConfig: () => [],
    exclusive: (fn) => fn(),
    written: (hash) => void events.push(hash),
    applyNow: async () => {
      host.applied++
      return {restart: false}
    },
  }
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

const write = (text: string) => writeFileSync(configPath, text, {mode: 0o600})
const hashNow = () => readConfigSnapshot(host).hash as string

describe('config.get snapshot', () => {
  it('a missing file: exists false, everything null', () => {
    expect(readConfigSnapshot(host)).toEqual({path: configPath, exists: false, valid: true, raw: null, parsed: null, config: null, issues: [], warnings: [], hash: null})
  })

  it('redacts secrets in raw, parsed and config; keeps ${VAR} references as written', () => {
    write('{\n  // comment\n  gateway: {auth: {token: "s3cret-token"}, remote: {token: "${REMOTE_TOKEN}"}},\n}\n')
    host.env.REMOTE_TOKEN = 'rt'
    const snap = readConfigSnapshot(host)
    expect(snap).toMatchObject({exists: true, valid: true, hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)})
    expect(snap.raw).toBe(`{\n  // comment\n  gateway: {auth: {token: "${R}"}, remote: {token: "\${REMOTE_TOKEN}"}},\n}\n`)
    expect(snap.parsed).toEqual({gateway: {auth: {token: R}, remote: {token: '${REMOTE_TOKEN}'}}})
    expect((snap.config as {gateway: {auth: {token: string}}}).gateway.auth.token).toBe(R)
  })

  it('an invalid config: valid false, issues, config null', () => {
    write('{gateway: {port: "x"}}')
    const snap = readConfigSnapshot(host)
    expect(snap).toMatchObject({exists: true, valid: false, config: null})
    expect(snap.issues[0]).toMatchObject({path: 'gateway.port'})
  })
})

describe('redactRawText', () => {
  it.each([
    {name: 'nothing secret', text: '{a: 1}', tree: {a: 1}, redacted: {a: 1}, out: '{a: 1}'},
    {name: 'a plain secret', text: '{t: "abc"}', tree: {t: 'abc'}, redacted: {t: R}, out: `{t: "${R}"}`},
    {name: 'a secret also used as a key cannot be redacted reliably', text: '{abc: {t: "abc"}}', tree: {abc: {t: 'abc'}}, redacted: {abc: {t: R}}, out: null},
    {name: 'an escaped secret cannot be found', text: '{t: "a\\u0062c"}', tree: {t: 'abc'}, redacted: {t: R}, out: null},
    {name: 'an unparsable file', text: '{', tree: null, redacted: null, out: null},
  ])('$name', ({text, tree, redacted, out}) => {
    expect(redactRawText(text, tree, redacted)).toBe(out)
  })
})

describe('restoreRedacted (config.set / config.apply)', () => {
  it('takes the current value at each placeholder', () => {
    expect(restoreRedacted({gateway: {auth: {token: R}}, a: [R]}, {gateway: {auth: {token: 't'}}, a: ['x']})).toEqual({gateway: {auth: {token: 't'}}, a: ['x']})
  })
  it('refuses a placeholder with no current value', () => {
    expect(() => restoreRedacted({gateway: {auth: {password: R}}}, {})).toThrow(CONFIG_TEXTS.placeholder('gateway.auth.password'))
  })
})

describe('writeConfigDocument', () => {
  it('writes a new file without a base hash (no file, no check)', async () => {
    const out = await writeConfigDocument(host, {method: 'config.set', raw: '{gateway: {mode: "local"}}'})
    expect(out).toMatchObject({path: configPath, noop: false, changedPaths: ['gateway.mode'], hash: hashNow()})
    expect(JSON.parse(readFileSync(configPath, 'utf8')).gateway).toEqual({mode: 'local'})
  })

  it.each([
    {name: 'a missing base hash', baseHash: undefined, message: CONFIG_TEXTS.baseHashRequired, code: 'CONFIG_BASE_HASH_REQUIRED'},
    {name: 'a stale base hash', baseHash: 'sha256:00', message: CONFIG_TEXTS.baseHashMismatch, code: 'CONFIG_BASE_HASH_MISMATCH'},
  ])('refuses $name when the file exists', async ({baseHash, message, code}) => {
    write('{}')
    await expect(writeConfigDocument(host, {method: 'config.apply', raw: '{}', baseHash})).rejects.toMatchObject({code: 'INVALID_REQUEST', message, details: {code}})
  })

  it.each([
    {name: 'JSON5 syntax', method: 'config.set', raw: '{a: ', message: /^invalid config: JSON5 parse error at 1:5: /},
    {name: 'JSON5 syntax in a patch', method: 'config.patch', raw: '{a: ', message: /^invalid config: JSON5 parse error at 1:5: /},
    {name: 'a patch that is not an object', method: 'config.patch', raw: '[1]', message: /^config\.patch raw must be a JSON5 object$/},
    {name: 'schema issues, all listed', method: 'config.set', raw: '{gateway: {port: "x"}, bogus: 1}', message: /^invalid config: gateway\.port: .*; bogus: unknown key$/},
    {name: 'an unset ${VAR}', method: 'config.set', raw: '{gateway: {auth: {token: "${NOPE_NOT_SET}"}}}', message: /^invalid config: gateway\.auth\.token: environment variable NOPE_NOT_SET is not set/},
  ] as const)('refuses $name and writes nothing', async ({method, raw, message}) => {
    write('{gateway: {mode: "local"}}')
    const before = readFileSync(configPath, 'utf8')
    await expect(writeConfigDocument(host, {method, raw, baseHash: hashNow()})).rejects.toMatchObject({code: 'INVALID_REQUEST', message: expect.stringMatching(message)})
    expect(readFileSync(configPath, 'utf8')).toBe(before)
    expect(existsSync(`${configPath}.bak`)).toBe(false)
  })

  it('patch: merges, reports changed leaf paths, keeps the other keys, makes a .bak', async () => {
    write(JSON.stringify({gateway: {mode: 'local', auth: {token: 'keep-me'}}, agents: {list: [{id: 'a'}, {id: 'b'}]}}))
    const out = await writeConfigDocument(host, {method: 'config.patch', raw: '{agents: {list: [{id: "b", name: "Bee"}]}, gateway: {auth: {token: "__OPENCLAW_REDACTED__"}}}', baseHash: hashNow()})
    expect(out.changedPaths).toEqual(['agents.list[1].name'])
    const written = JSON.parse(readFileSync(configPath, 'utf8'))
    expect(written.agents.list).toEqual([{id: 'a'}, {id: 'b', name: 'Bee'}])
    expect(written.gateway.auth.token).toBe('keep-me')
    expect(written.meta.lastTouchedVersion).toBe('9.9.9')
    expect(existsSync(`${configPath}.bak`)).toBe(true)
  })

  it('patch: refuses dropping array entries unless the path is in replacePaths', async () => {
    write(JSON.stringify({agents: {defaults: {heartbeat: {}}, list: [{id: 'a'}]}, tools: {allow: ['read', 'write']}}))
    await expect(writeConfigDocument(host, {method: 'config.patch', raw: '{tools: {allow: ["read"]}}', baseHash: hashNow()})).rejects.toMatchObject({message: CONFIG_TEXTS.removal('tools.allow')})
    const out = await writeConfigDocument(host, {method: 'config.patch', raw: '{tools: {allow: ["read"]}}', baseHash: hashNow(), replacePaths: ['tools.allow']})
    expect(out.changedPaths).toEqual(['tools.allow[1]'])
  })

  it('patch: identical content is a no-op (nothing written)', async () => {
    write(JSON.stringify({gateway: {mode: 'local'}}))
    const before = readFileSync(configPath, 'utf8')
    const out = await writeConfigDocument(host, {method: 'config.patch', raw: '{gateway: {mode: "local"}}', baseHash: hashNow()})
    expect(out).toMatchObject({noop: true, changedPaths: []})
    expect(readFileSync(configPath, 'utf8')).toBe(before)
  })

  it('an unparsable file: patch refuses, set replaces it', async () => {
    write('{oops')
    const baseHash = hashNow()
    await expect(writeConfigDocument(host, {method: 'config.patch', raw: '{}', baseHash})).rejects.toMatchObject({message: CONFIG_TEXTS.unparsable})
    const out = await writeConfigDocument(host, {method: 'config.set', raw: '{gateway: {mode: "local"}}', baseHash})
    expect(out.noop).toBe(false)
    expect(JSON.parse(readFileSync(configPath, 'utf8')).gateway.mode).toBe('local')
  })
})

describe('config methods through dispatch', () => {
  const services = (configRpc?: ConfigRpcHost): GatewayServices => ({
    info: {version: '9.9.9', startedAt: 0, bind: 'loopback', port: 1, authMode: 'token', reloadMode: 'hybrid'},
    health: new HealthCache(() => ({channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 0, defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []}}), () => undefined),
    presence: new PresenceList(() => ({ts: 1})),
    logger: memoryLogger().logger, now: () => 0, getConfig: () => undefined, queuedSystemEvents: () => [], broadcast: () => undefined, configRpc,
  })
  const conn = {connId: 'c', role: 'operator' as const, scopes: ['operator.admin' as const], clientId: 'cli' as const, clientMode: 'cli' as const, ip: '127.0.0.1', loopback: true, methodState: new Map()}
  const call = (method: string, params: unknown, rpc: ConfigRpcHost | null = host) =>
    dispatchRequest({type: 'req', id: 'r', method, params}, conn, {registry: new MethodRegistry([configMethods]), services: services(rpc ?? undefined)})

  it('apply writes, announces the hash and applies; set only writes and announces', async () => {
    const applied = await call('config.apply', {raw: '{gateway: {mode: "local"}}'})
    expect(applied).toMatchObject({ok: true, payload: {ok: true, restart: false, path: configPath}})
    expect(host.applied).toBe(1)
    const set = await call('config.set', {raw: '{gateway: {mode: "local", port: 19000}}', baseHash: hashNow()})
    expect(set).toMatchObject({ok: true, payload: {ok: true, hash: hashNow()}})
    expect(host.applied).toBe(1)
    expect(host.events).toHaveLength(2)
  })

  it('write params are strict; config.get ignores unknown keys; config.schema answers', async () => {
    expect(await call('config.set', {raw: '{}', extra: 1})).toMatchObject({ok: false, error: {code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid config\.set params: /)}})
    expect(await call('config.get', {extra: 1})).toMatchObject({ok: true, payload: {exists: false}})
    expect(await call('config.schema', {})).toMatchObject({ok: true, payload: {version: '9.9.9', schema: {title: 'openclaw config'}, generatedAt: expect.any(String)}})
  })

  it('answers UNAVAILABLE without a config host', async () => {
    expect(await call('config.get', {}, null)).toMatchObject({ok: false, error: {code: 'UNAVAILABLE', message: 'config methods are not available on this gateway'}})
  })
})
