import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {freePort, httpGet, makeGatewayHome, spawnGateway, waitForHealth, waitForNoHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {connectClient, connectParams, until, type Frame, type TestClient} from '../unit/gateway/harness.js'

const TOKEN = 'reload-e2e-token'
let home: GatewayHome | undefined
let gateway: GatewayProcess | undefined
const clients: TestClient[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.closeAndWait()))
  gateway?.kill()
  if (gateway !== undefined) await gateway.exited
  gateway = undefined
  home?.cleanup()
  home = undefined
})

/** Starts a gateway whose port comes from the config (so a config change can move it). */
async function start(gatewayConfig: Record<string, unknown> = {}): Promise<number> {
  const port = await freePort()
  home = makeGatewayHome({gateway: {mode: 'local', port, auth: {token: TOKEN}, reload: {debounceMs: 50}, ...gatewayConfig}})
  gateway = spawnGateway(['gateway'], home.env)
  await waitForHealth(port, {proc: gateway})
  await gateway.waitForStderr(/ready in/)
  return port
}

async function client(port: number): Promise<TestClient> {
  const {client: c, res} = await connectClient(`ws://127.0.0.1:${port}/`, connectParams({auth: {token: TOKEN}}))
  expect(res.ok).toBe(true)
  clients.push(c)
  return c
}

async function configHash(c: TestClient): Promise<string> {
  const res = await c.request('config.get', {})
  expect(res.ok).toBe(true)
  return res.payload.hash
}

function readConfig(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(home!.configPath, 'utf8'))
}

describe('config RPC writes and reload (real binary)', () => {
  it('config.patch refuses a missing or stale baseHash with the exact texts, and writes nothing', async () => {
    const port = await start()
    const c = await client(port)
    const before = readFileSync(home!.configPath, 'utf8')
    const missing = await c.request('config.patch', {raw: '{agents: {defaults: {model: "a/b"}}}'})
    expect(missing.error).toEqual({code: 'INVALID_REQUEST', message: 'config base hash required; re-run config.get and retry', details: {code: 'CONFIG_BASE_HASH_REQUIRED'}})
    const stale = await c.request('config.patch', {raw: '{agents: {defaults: {model: "a/b"}}}', baseHash: 'sha256:0000'})
    expect(stale.error).toEqual({code: 'INVALID_REQUEST', message: 'config changed since last load; re-run config.get and retry', details: {code: 'CONFIG_BASE_HASH_MISMATCH'}})
    expect(readFileSync(home!.configPath, 'utf8')).toBe(before)
  })

  it('config.patch with the right hash: written atomically, config.changed, hot change applied without restart', async () => {
    const port = await start()
    const c = await client(port)
    const baseHash = await configHash(c)
    const res = await c.request('config.patch', {raw: '{agents: {list: [{id: "ops", default: true, model: "openai/gpt-5"}]}}', baseHash, note: 'e2e'})
    expect(res.ok).toBe(true)
    expect(res.payload).toMatchObject({ok: true, path: home!.configPath, restart: false, changedPaths: ['agents.list[0].default', 'agents.list[0].id', 'agents.list[0].model']})
    expect(res.payload.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(res.payload.hash).not.toBe(baseHash)
    const changed = await c.next((f: Frame) => f.type === 'event' && f.event === 'config.changed')
    expect(changed.payload).toEqual({path: home!.configPath, hash: res.payload.hash, ts: expect.any(Number)})

    expect(readConfig().agents).toEqual({list: [{id: 'ops', default: true, model: 'openai/gpt-5'}]})
    expect(statSync(home!.configPath).mode & 0o777).toBe(0o600)
    expect(existsSync(`${home!.configPath}.bak`)).toBe(true)
    expect(await configHash(c)).toBe(res.payload.hash)

    await gateway!.waitForStderr('config reloaded (hot: agents.list[0].default, agents.list[0].id, agents.list[0].model; restart: none)')
    const health = await c.request('health', {})
    expect(health.payload.defaultAgentId).toBe('ops')
    // Same connection, no shutdown: applied live.
    expect(c.frames.some((f: Frame) => f.event === 'shutdown')).toBe(false)

    const noop = await c.request('config.patch', {raw: '{agents: {list: [{id: "ops", default: true}]}}', baseHash: res.payload.hash})
    expect(noop.payload).toMatchObject({ok: true, noop: true, changedPaths: [], hash: res.payload.hash, restart: false})
  })

  it('a gateway.port change under hybrid restarts in process: shutdown + 1012, same PID, new port answers', async () => {
    const port = await start()
    const c = await client(port)
    const next = await freePort()
    const res = await c.request('config.patch', {raw: JSON.stringify({gateway: {port: next}}), baseHash: await configHash(c), restartDelayMs: 0})
    expect(res.payload).toMatchObject({ok: true, restart: true, changedPaths: ['gateway.port']})
    const shutdown = await c.next((f: Frame) => f.event === 'shutdown')
    expect(shutdown.payload).toEqual({reason: 'config change', restartExpectedMs: expect.any(Number)})
    expect(await c.closed).toEqual({code: 1012, reason: 'service restart'})

    await waitForHealth(next, {proc: gateway})
    await waitForNoHealth(port)
    const again = await client(next)
    const status = await again.request('status', {})
    expect(status.payload).toMatchObject({pid: gateway!.pid, gateway: {port: next}})
    const lock = JSON.parse(readFileSync(path.join(home!.stateDir, 'locks', 'gateway.lock'), 'utf8'))
    expect(lock).toMatchObject({pid: gateway!.pid, port: next})
    expect(gateway!.stderr()).toMatch(/config reloaded \(hot: none; restart: gateway\.port\)[\s\S]*restarting in process[\s\S]*restart complete in \d+ ms/)
  })

  it('under reload mode off nothing happens until SIGHUP', async () => {
    const port = await start({reload: {mode: 'off', debounceMs: 50}})
    const c = await client(port)
    const next = await freePort()
    const res = await c.request('config.patch', {raw: JSON.stringify({gateway: {port: next}}), baseHash: await configHash(c), restartDelayMs: 0})
    expect(res.payload).toMatchObject({ok: true, restart: false})
    expect(readConfig().gateway.port).toBe(next)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect((await httpGet(port, '/health')).status).toBe(200)
    expect((await httpGet(next, '/health')).status).toBe(0)

    gateway!.child.kill('SIGHUP')
    await waitForHealth(next, {proc: gateway})
    await waitForNoHealth(port)
    expect(gateway!.child.exitCode).toBeNull()
  })

  it('a hand edit to an invalid config logs one line naming the issues and keeps serving the previous config', async () => {
    const port = await start()
    const c = await client(port)
    const config = readConfig()
    writeFileSync(home!.configPath, JSON.stringify({...config, gateway: {...config.gateway, port: 'nope'}, bogus: true}))
    await gateway!.waitForStderr(/config reload skipped \(invalid config\): 2 issue\(s\); first: \S+: /)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(gateway!.stderr().match(/config reload skipped/g)).toHaveLength(1)
    expect((await c.request('health', {})).ok).toBe(true)
    expect((await httpGet(port, '/ready')).status).toBe(200)
    expect(c.frames.some((f: Frame) => f.event === 'shutdown' || f.event === 'config.changed')).toBe(false)
  })

  it('a valid hand edit is picked up by the watcher: config.changed and the hot change applied', async () => {
    const port = await start()
    const c = await client(port)
    const config = readConfig()
    writeFileSync(home!.configPath, JSON.stringify({...config, agents: {list: [{id: 'desk'}]}}))
    const changed = await c.next((f: Frame) => f.event === 'config.changed', 5000)
    expect(changed.payload.hash).toBe(await configHash(c))
    await gateway!.waitForStderr('config reloaded (hot: agents.list[0].id; restart: none)')
    expect((await c.request('health', {})).payload.defaultAgentId).toBe('desk')
  })

  it('config.set only writes; the watcher then applies it per mode (hybrid)', async () => {
    const port = await start()
    const c = await client(port)
    const config = readConfig()
    const raw = JSON.stringify({...config, agents: {list: [{id: 'setter'}]}})
    const res = await c.request('config.set', {raw, baseHash: await configHash(c)})
    expect(res.payload).toMatchObject({ok: true, path: home!.configPath, hash: expect.stringMatching(/^sha256:/)})
    expect(res.payload.config.gateway.auth.token).toBe('__OPENCLAW_REDACTED__')
    await gateway!.waitForStderr('config reloaded (hot: agents.list[0].id; restart: none)')
    await until(() => c.frames.filter((f: Frame) => f.event === 'config.changed').length >= 1)
    expect(c.frames.filter((f: Frame) => f.event === 'config.changed')).toHaveLength(1)
  })

  it('a restart that cannot bind goes back to the previous listener and reports configReload.lastError', async () => {
    const port = await start()
    const c = await client(port)
    const res = await c.request('config.patch', {raw: '{gateway: {bind: "custom", customBindHost: "192.0.2.77"}}', baseHash: await configHash(c), restartDelayMs: 0})
    expect(res.payload).toMatchObject({ok: true, restart: true})
    await gateway!.waitForStderr(/in-process restart failed: 192\.0\.2\.77 is not an address of this host/)
    await waitForHealth(port, {proc: gateway})
    const again = await client(port)
    const health = await again.request('health', {})
    expect(health.payload.configReload).toEqual({mode: 'hybrid', lastError: '192.0.2.77 is not an address of this host (gateway.customBindHost)'})
  })

  it('config.get redacts secrets in raw, parsed and config', async () => {
    const port = await start()
    const c = await client(port)
    const res = await c.request('config.get', {})
    expect(res.payload).toMatchObject({path: home!.configPath, exists: true, valid: true, issues: []})
    expect(JSON.stringify(res.payload)).not.toContain(TOKEN)
    expect(res.payload.parsed.gateway.auth.token).toBe('__OPENCLAW_REDACTED__')
    expect(res.payload.config.gateway.auth.token).toBe('__OPENCLAW_REDACTED__')
    expect(JSON.parse(res.payload.raw).gateway.auth.token).toBe('__OPENCLAW_REDACTED__')
  })

  it('write methods are limited to 30 per 60 s per client', async () => {
    const port = await start()
    const c = await client(port)
    for (let i = 0; i < 30; i++) expect((await c.request('config.set', {raw: '{'})).error.code).toBe('INVALID_REQUEST')
    const limited = await c.request('config.set', {raw: '{'})
    expect(limited.error).toMatchObject({code: 'UNAVAILABLE', retryable: true, message: expect.stringMatching(/^rate limit exceeded for config\.set; retry after \d+s$/), details: {method: 'config.set', limit: '30 per 60s'}})
  })
})
