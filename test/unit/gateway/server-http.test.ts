import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {startTestServer, TestClient, TOKEN} from './harness.js'

let server: GatewayServer
let base: string
beforeAll(async () => {
  ;({server} = await startTestServer({failing: []}))
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.close({drainMs: 200}))

describe('gateway HTTP endpoints (protocol §1.2)', () => {
  it.each([
    ['/health', 'GET', 200, {ok: true, status: 'live'}],
    ['/healthz', 'GET', 200, {ok: true, status: 'live'}],
    ['/health?x=1', 'GET', 200, {ok: true, status: 'live'}],
    ['/ready', 'GET', 200, {ready: true, failing: [], uptimeMs: expect.any(Number)}],
    ['/readyz', 'GET', 200, {ready: true, failing: [], uptimeMs: expect.any(Number)}],
    ['/health', 'POST', 405, {error: 'method not allowed'}],
    ['/ready', 'DELETE', 405, {error: 'method not allowed'}],
    ['/', 'GET', 404, {error: 'not found'}],
    ['/metrics', 'GET', 404, {error: 'not found'}],
    ['/nope', 'POST', 404, {error: 'not found'}],
  ])('%s %s → %i', async (path, method, status, body) => {
    const res = await fetch(base + path, {method})
    expect(res.status).toBe(status)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    if (status === 405) expect(res.headers.get('allow')).toBe('GET, HEAD')
    expect(await res.json()).toEqual(body)
  })

  it.each(['/health', '/healthz', '/ready', '/readyz'])('HEAD %s: same status, no body', async (path) => {
    const res = await fetch(base + path, {method: 'HEAD'})
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })

  it('readiness reflects live state: 503 with every failing component, then 200 again', async () => {
    server.markFailing('channel:telegram:work', true)
    server.markFailing('sessions', true)
    const res = await fetch(`${base}/ready`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ready: false, failing: ['channel:telegram:work', 'sessions']})
    const head = await fetch(`${base}/readyz`, {method: 'HEAD'})
    expect(head.status).toBe(503)
    server.markFailing('channel:telegram:work', false)
    server.markFailing('sessions', false)
    expect((await fetch(`${base}/ready`)).status).toBe(200)
  })

  it.each([
    ['a proxied caller sees only ready', {'X-Forwarded-For': '203.0.113.9'}, {ready: false}],
    ['a proxied caller with the bearer token sees everything', {'X-Forwarded-For': '203.0.113.9', Authorization: `Bearer ${TOKEN}`}, {ready: false, failing: ['startup'], uptimeMs: expect.any(Number)}],
    ['a wrong bearer token sees only ready', {'X-Real-IP': '203.0.113.9', Authorization: 'Bearer wrong'}, {ready: false}],
  ])('%s', async (_name, headers, body) => {
    server.markFailing('startup', true)
    try {
      const res = await fetch(`${base}/ready`, {headers})
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual(body)
    } finally {
      server.setReady()
    }
  })

  it('refuses a WebSocket upgrade on a probe path, and accepts one on any other path', async () => {
    await expect(TestClient.open(`ws://127.0.0.1:${server.port}/health`)).rejects.toMatchObject({status: 400})
    const client = await TestClient.open(`ws://127.0.0.1:${server.port}/some/other/path`)
    await client.challenge()
    await client.closeAndWait()
  })
})

describe('pre-auth socket budget (protocol §1.1)', () => {
  it('answers HTTP 503 to the 33rd unauthenticated socket from one IP, and frees the slot on close', async () => {
    const {server: s, url} = await startTestServer()
    try {
      const clients = await Promise.all(Array.from({length: 32}, () => TestClient.open(url)))
      expect(s.pendingConnections).toBe(32)
      await expect(TestClient.open(url)).rejects.toMatchObject({status: 503})
      await clients[0].closeAndWait()
      const again = await TestClient.open(url)
      await again.challenge()
      await Promise.all([...clients.slice(1), again].map((c) => c.closeAndWait()))
    } finally {
      await s.close({drainMs: 200})
    }
  })
})
