/**
 * Interoperability conformance (protocol §10) with synthetic frames: a superset of what the
 * reference 2026.9 CLI sends on loopback (every optional field of §3.2, a device block, an unknown
 * scope, traceparent) and a hand-made `hello-ok`. The wire recordings of the real 2026.9.6 peer
 * are replayed in peer-fixtures.test.ts.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HelloOkSchema} from '../../../src/runtime/gateway/protocol/frames.js'
import {HealthSnapshotSchema} from '../../../src/runtime/gateway/protocol/snapshots.js'
import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {startTestServer, TestClient, TOKEN} from './harness.js'

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')

let server: GatewayServer
let url: string
beforeAll(async () => {
  ;({server, url} = await startTestServer())
})
afterAll(() => server.close({drainMs: 200}))

describe('their CLI, our gateway (§10)', () => {
  it('answers the reference connect frame with a hello-ok carrying every required field, then health and status', async () => {
    const client = await TestClient.open(url)
    const challenge = await client.challenge()
    expect(challenge.payload).toEqual({nonce: expect.any(String), ts: expect.any(Number)})
    const frame = JSON.parse(fixture('reference-cli-connect.json').replace('__TOKEN__', TOKEN))
    client.send(frame)
    const res = await client.next((f) => f.type === 'res' && f.id === frame.id)
    expect(res.ok).toBe(true)
    const hello = res.payload
    // Nothing outside their closed schema, at any level.
    expect(HelloOkSchema.strict().safeParse(hello).success).toBe(true)
    expect(hello).toMatchObject({
      type: 'hello-ok',
      protocol: 4,
      server: {version: expect.any(String), connId: expect.any(String)},
      features: {methods: expect.arrayContaining(['health', 'status']), events: expect.any(Array)},
      snapshot: {presence: expect.any(Array), health: expect.any(Object), stateVersion: {presence: expect.any(Number), health: expect.any(Number)}, uptimeMs: expect.any(Number)},
      auth: {role: 'operator'},
      policy: {maxPayload: 26_214_400, maxBufferedBytes: 52_428_800, tickIntervalMs: 30_000},
    })
    expect(hello.snapshot.presence.every((entry: {ts: unknown}) => typeof entry.ts === 'number')).toBe(true)
    // Device-less cli/cli on loopback with a valid token keeps its requested scopes; unknown ones are dropped.
    expect(hello.auth.scopes).toEqual(['operator.admin', 'operator.read', 'operator.write', 'operator.approvals', 'operator.pairing'])

    const started = Date.now()
    const health = await client.request('health')
    expect(health.ok).toBe(true)
    expect(Object.keys(health.payload)).toEqual(expect.arrayContaining(['ok', 'ts', 'durationMs', 'channels', 'channelOrder', 'channelLabels', 'heartbeatSeconds', 'defaultAgentId', 'agents', 'sessions']))
    expect(HealthSnapshotSchema.safeParse(health.payload).success).toBe(true)
    const status = await client.request('status')
    expect(status.ok).toBe(true)
    expect(typeof status.payload).toBe('object')
    expect(Date.now() - started).toBeLessThan(2000)
    await client.closeAndWait()
  })
})

describe('our CLI, their gateway (§10)', () => {
  it('parses a reference hello-ok, ignoring what it does not know', () => {
    const parsed = HelloOkSchema.safeParse(JSON.parse(fixture('reference-hello-ok.json')))
    expect(parsed.success).toBe(true)
    if (!parsed.success) return
    expect(parsed.data.protocol).toBe(4)
    expect(parsed.data.policy.tickIntervalMs).toBe(30_000)
    expect(parsed.data.server).toEqual({version: '2026.9.2', connId: 'a4d0e1f2-3b4c-4d5e-8f60-718293a4b5c6'})
    expect('controlUiBasePath' in parsed.data).toBe(false)
  })
})
