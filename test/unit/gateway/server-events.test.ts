import {afterEach, describe, expect, it} from 'vitest'
import WebSocket from 'ws'

import type {GatewayServer, GatewayServerOptions} from '../../../src/runtime/gateway/server/server.js'
import {connectClient, connectParams, startTestServer, TestClient, until, type Frame} from './harness.js'

let servers: GatewayServer[] = []
let clients: TestClient[] = []
async function start(overrides: Partial<GatewayServerOptions> = {}) {
  const started = await startTestServer(overrides)
  servers.push(started.server)
  return started
}
async function connect(url: string, over: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const {client, res} = await connectClient(url, connectParams(over), headers)
  clients.push(client)
  expect(res.ok).toBe(true)
  return client
}
afterEach(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()))
  await Promise.all(servers.map((s) => s.close({drainMs: 200})))
  servers = []
  clients = []
})

const events = (client: TestClient, name?: string): Frame[] => client.frames.filter((f) => f.type === 'event' && f.event !== 'connect.challenge' && (name === undefined || f.event === name))
const ui = (instanceId: string) => ({client: {id: 'openclaw-control-ui', mode: 'ui', version: '1', platform: 'web', instanceId}})

describe('events (protocol §7, §2.3)', () => {
  it('emits presence with stateVersion to read-scoped connections when a listed client connects and leaves', async () => {
    const {url} = await start()
    const watcher = await connect(url, {scopes: ['operator.read']})
    const blind = await connect(url, {scopes: []})
    // A cli connection is not listed, so it does not churn presence.
    await connect(url, {client: {id: 'cli', mode: 'cli', version: '1', platform: 'linux', instanceId: 'cli-2'}})
    const listed = await connect(url, ui('ui-1'))
    const joined = await watcher.next((f) => f.event === 'presence')
    expect(joined.stateVersion.presence).toBe(1)
    expect(joined.payload.presence.map((e: Frame) => e.instanceId ?? e.mode)).toEqual(['gateway', 'ui-1'])
    expect(joined.payload.presence[1]).toMatchObject({clientId: 'openclaw-control-ui', mode: 'ui', platform: 'web', ip: '127.0.0.1', reason: 'connect', roles: ['operator'], ts: expect.any(Number)})
    const count = watcher.frames.length
    await listed.closeAndWait()
    const left = await watcher.next((f) => f.event === 'presence', 3000, count)
    expect(left.stateVersion.presence).toBe(2)
    expect(left.payload.presence).toHaveLength(1)
    expect((await watcher.request('system-presence')).payload).toHaveLength(1)
    expect(events(blind, 'presence')).toEqual([])
  })

  it('sends tick to every connection with a per-connection seq from 1', async () => {
    const {url} = await start({tickIntervalMs: 40})
    const a = await connect(url, {scopes: []})
    await a.next((f) => f.event === 'tick' && f.seq === 3)
    const ticks = events(a)
    expect(ticks.map((f) => f.seq).slice(0, 3)).toEqual([1, 2, 3])
    expect(ticks[0].payload).toEqual({ts: expect.any(Number)})
  })

  it('emits health with stateVersion after a refresh, and the health RPC serves the new snapshot', async () => {
    let heartbeatSeconds = 100
    const {url, server} = await start({
      getHealth: () => ({channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds, defaultAgentId: 'main', agents: [], sessions: {path: '/s', count: 0, recent: []}}),
    })
    const client = await connect(url, {scopes: []})
    const before = (await client.request('health')).payload
    expect(before.heartbeatSeconds).toBe(100)
    heartbeatSeconds = 200
    const version = server.services.health.version
    await server.refreshHealth()
    const event = await client.next((f) => f.event === 'health')
    expect(event.payload.heartbeatSeconds).toBe(200)
    expect(event.stateVersion.health).toBe(version + 1)
    expect((await client.request('health')).payload.heartbeatSeconds).toBe(200)
  })

  it('health probe:true refreshes only for read-scoped callers', async () => {
    let calls = 0
    const {url} = await start({
      getHealth: () => ({channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: ++calls, defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []}}),
    })
    await until(() => calls >= 1)
    const bare = await connect(url, {scopes: []})
    const reader = await connect(url, {scopes: ['operator.read']})
    expect((await bare.request('health', {probe: true})).payload.heartbeatSeconds).toBe(1)
    expect((await reader.request('health', {probe: true})).payload.heartbeatSeconds).toBe(2)
  })

  it('routes config.changed to read-scoped connections only; nodes and scope-less ones get tick-class events', async () => {
    const {url, server} = await start()
    const reader = await connect(url, {scopes: ['operator.write']})
    const bare = await connect(url, {scopes: []})
    server.broadcast('config.changed', {path: '/c.json', hash: 'sha256:ab', ts: 1})
    server.broadcast('shutdown-not-really', {x: 1})
    await reader.next((f) => f.event === 'shutdown-not-really')
    await bare.next((f) => f.event === 'shutdown-not-really')
    expect(events(reader).map((f) => [f.event, f.seq])).toEqual([['config.changed', 1], ['shutdown-not-really', 2]])
    expect(events(bare).map((f) => [f.event, f.seq])).toEqual([['shutdown-not-really', 1]])
  })

  it('close() sends shutdown, then closes every socket 1012 "service restart", and reports draining', async () => {
    const {url, server} = await start()
    const a = await connect(url)
    const b = await connect(url, {scopes: []})
    const pending = await TestClient.open(url)
    clients.push(pending)
    const closing = server.close({reason: 'config change', restartExpectedMs: 1500, drainMs: 1000})
    expect(server.readiness().failing).toContain('draining')
    for (const c of [a, b]) {
      expect(await c.closed).toEqual({code: 1012, reason: 'service restart'})
      expect(events(c, 'shutdown')[0].payload).toEqual({reason: 'config change', restartExpectedMs: 1500})
    }
    expect((await pending.closed).code).toBe(1012)
    await closing
    await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow()
  })

  it('terminates an authenticated socket that stops answering pings', async () => {
    const {url, server} = await start({pingIntervalMs: 50})
    const lively = await connect(url)
    const ws = new WebSocket(url, {autoPong: false, perMessageDeflate: false})
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.event === 'connect.challenge') ws.send(JSON.stringify({type: 'req', id: 'c', method: 'connect', params: connectParams()}))
    })
    await until(() => server.connections === 2)
    expect(await closed).toBe(1006)
    await until(() => server.connections === 1)
    expect((await lively.request('health')).ok).toBe(true)
  })

  function congest(client: TestClient) {
    return (client.ws as unknown as {_socket: {pause(): void; resume(): void}})._socket
  }

  it('skips dropIfSlow events for a congested socket but still consumes their seq', async () => {
    const {url, server} = await start({maxBufferedBytes: 256 * 1024})
    const client = await connect(url)
    const raw = congest(client)
    raw.pause()
    const big = 'x'.repeat(1024 * 1024)
    for (let i = 0; i < 12; i++) server.broadcast('tick', {ts: i, pad: big})
    raw.resume()
    // Once the backlog drains a small tick gets through again; its seq shows the gap.
    let marker: Frame | undefined
    for (let i = 0; i < 100 && marker === undefined; i++) {
      server.broadcast('tick', {ts: 1000 + i})
      marker = await client.next((f) => f.event === 'tick' && f.payload.ts >= 1000, 50).catch(() => undefined)
    }
    expect(marker).toBeDefined()
    const received = events(client, 'tick')
    expect(marker!.seq).toBeGreaterThan(received.indexOf(marker) + 1)
    expect(server.connections).toBe(1)
  })

  it('closes a congested socket 1008 "slow consumer" on an event that must be delivered', async () => {
    const {url, server} = await start({maxBufferedBytes: 256 * 1024})
    const client = await connect(url)
    const raw = congest(client)
    raw.pause()
    const big = 'x'.repeat(1024 * 1024)
    for (let i = 0; i < 12; i++) server.broadcast('tick', {ts: i, pad: big})
    expect(server.connections).toBe(1)
    server.broadcast('config.changed', {path: '/c', hash: 'h', ts: 1})
    raw.resume()
    expect(await client.closed).toEqual({code: 1008, reason: 'slow consumer'})
    expect(events(client, 'config.changed')).toEqual([])
  })
})
