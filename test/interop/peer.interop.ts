/**
 * Live interoperability with the reference OpenClaw 2026.9 (protocol §10), both directions, with
 * the real binaries on loopback: their CLI against our `gateway run`, our CLI against their
 * `gateway run`. Opt-in: `vitest.interop.config.ts` only includes this file when
 * OPENCLAW_PEER_CLI and OPENCLAW_PEER_NODE are set (docs/interop.md). Needs `npm run build`.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeTempHome, repoRoot, runCli, type TempHome} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForExit, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {makePeerHome, runPeer, startPeerGateway, waitForHttp, type PeerGateway, type PeerHome} from './peer-process.js'

const TOKEN = `interop-${process.pid}`
const HEALTH_KEYS = ['ok', 'ts', 'durationMs', 'channels', 'channelOrder', 'channelLabels', 'heartbeatSeconds', 'defaultAgentId', 'agents', 'sessions']
/** Their gateway needs seconds to open its port and more to finish starting; generous but bounded. */
const PEER_START_MS = 120_000

let ours: {home: GatewayHome; proc: GatewayProcess; port: number}
let ourCli: TempHome
let peerCli: PeerHome
let peer: {home: PeerHome; gateway: PeerGateway} | undefined
let peerListening: Promise<void>

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'dist', 'openclaw.cjs'))) throw new Error('no build: run `npm run build` first')
  const [ourPort, peerPort] = [await freePort(), await freePort()]
  // Theirs first: it is the slow one, and its start overlaps the first direction's checks.
  const peerHome = makePeerHome({gateway: {mode: 'local', bind: 'loopback'}, update: {checkOnStart: false}})
  peer = {home: peerHome, gateway: startPeerGateway(peerHome, peerPort, TOKEN)}
  peerListening = waitForHttp(peerPort, '/health', (r) => r.status === 200, PEER_START_MS, peer.gateway)
  peerListening.catch(() => undefined)
  const home = makeGatewayHome()
  const proc = spawnGateway(['gateway', 'run', '--port', String(ourPort), '--token', TOKEN, '--allow-unconfigured'], home.env)
  ours = {home, proc, port: ourPort}
  await waitForHealth(ourPort, {proc, timeoutMs: 20_000})
  ourCli = makeTempHome()
  peerCli = makePeerHome()
}, PEER_START_MS + 30_000)

afterAll(async () => {
  await peer?.gateway.stop()
  if (ours !== undefined) {
    ours.proc.child.kill('SIGTERM')
    await waitForExit(ours.proc, 20_000).catch(() => undefined)
    ours.home.cleanup()
  }
  peer?.home.cleanup()
  ourCli?.cleanup()
  peerCli?.cleanup()
}, 60_000)

describe('their CLI, our gateway', () => {
  const url = () => `ws://127.0.0.1:${ours.port}`
  it.each<[string, () => string[], 'health' | 'status']>([
    ['gateway call health --url', () => ['gateway', 'call', 'health', '--url', url(), '--token', TOKEN, '--json'], 'health'],
    ['gateway call status --url', () => ['gateway', 'call', 'status', '--url', url(), '--token', TOKEN, '--json'], 'status'],
    ['gateway call health --port', () => ['gateway', 'call', 'health', '--port', String(ours.port), '--token', TOKEN, '--json'], 'health'],
    ['gateway call status --port', () => ['gateway', 'call', 'status', '--port', String(ours.port), '--token', TOKEN, '--json'], 'status'],
  ])('%s exits 0 with the payload', async (_name, args, method) => {
    const r = await runPeer(args(), {env: peerCli.env})
    expect(r.code, r.stderr).toBe(0)
    if (method === 'health') expect(Object.keys(r.json)).toEqual(expect.arrayContaining(HEALTH_KEYS))
    else expect(r.json).toMatchObject({version: expect.any(String), sessions: expect.any(Object)})
  })

  it('health --json (token from OPENCLAW_GATEWAY_TOKEN) exits 0 with the snapshot', async () => {
    const r = await runPeer(['health', '--json'], {env: {...peerCli.env, OPENCLAW_GATEWAY_PORT: String(ours.port), OPENCLAW_GATEWAY_TOKEN: TOKEN}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ok: true, defaultAgentId: 'main'})
  })

  it('a wrong token exits 1 with our refusal, explained', async () => {
    const r = await runPeer(['gateway', 'call', 'health', '--url', url(), '--token', 'wrong', '--json'], {env: peerCli.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {message: expect.stringContaining('unauthorized: gateway token mismatch'), details: {code: 'AUTH_TOKEN_MISMATCH'}}})
  })
})

describe('our CLI, their gateway', () => {
  const url = () => `ws://127.0.0.1:${peer!.gateway.port}`
  beforeAll(() => peerListening, PEER_START_MS + 5_000)

  it('gateway call health --url exits 0 (retrying if their gateway is still starting)', async () => {
    const r = await runCli(['gateway', 'call', 'health', '--url', url(), '--token', TOKEN, '--json', '--timeout', '60000'], {env: ourCli.env, timeoutMs: 70_000})
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(HEALTH_KEYS))
  }, 80_000)

  it.each<[string, () => string[], 'health' | 'status']>([
    ['gateway call status --url', () => ['gateway', 'call', 'status', '--url', url(), '--token', TOKEN, '--json'], 'status'],
    ['gateway call health --port', () => ['gateway', 'call', 'health', '--port', String(peer!.gateway.port), '--token', TOKEN, '--json'], 'health'],
  ])('%s exits 0 with the payload', async (_name, args, method) => {
    const r = await runCli(args(), {env: ourCli.env, timeoutMs: 30_000})
    expect(r.code, r.stdout + r.stderr).toBe(0)
    if (method === 'health') expect(Object.keys(r.json)).toEqual(expect.arrayContaining(HEALTH_KEYS))
    else expect(r.json).toMatchObject({runtimeVersion: expect.stringMatching(/^2026\.9\./)})
  })

  it('health --json (token from OPENCLAW_GATEWAY_TOKEN) exits 0 once their /ready says ready', async () => {
    await waitForHttp(peer!.gateway.port, '/ready', (r) => (r.body as {ready?: unknown} | null)?.ready === true, 60_000, peer!.gateway)
    const r = await runCli(['health', '--json'], {env: {...ourCli.env, OPENCLAW_GATEWAY_PORT: String(peer!.gateway.port), OPENCLAW_GATEWAY_TOKEN: TOKEN}, timeoutMs: 30_000})
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json).toMatchObject({ok: true, result: {ok: true, ready: true, failing: [], serverVersion: expect.stringMatching(/^2026\.9\./)}})
  }, 80_000)

  it('an unknown method exits 1 with GATEWAY_REQUEST_FAILED', async () => {
    const r = await runCli(['gateway', 'call', 'no.such.method', '--url', url(), '--token', TOKEN, '--json'], {env: ourCli.env, timeoutMs: 30_000})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {code: 'GATEWAY_REQUEST_FAILED', message: 'unknown method: no.such.method'}})
  })
})
