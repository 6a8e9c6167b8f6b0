/**
 * Live interoperability with the reference OpenClaw 2026.9 (protocol §10), both directions, with
 * the real binaries on loopback: their CLI against our `gateway run`, our CLI against their
 * `gateway run`, `agent` included (both gateways' model is one fake model server on 127.0.0.1,
 * answering each gateway with its own text so a reply shows which gateway ran the turn). Opt-in: `vitest.interop.config.ts` only includes this file when
 * OPENCLAW_PEER_CLI and OPENCLAW_PEER_NODE are set (docs/interop.md). Needs `npm run build`.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {makeTempHome, repoRoot, runCli, type TempHome} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForExit, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {makePeerHome, runPeer, startPeerGateway, waitForHttp, type PeerGateway, type PeerHome} from './peer-process.js'

const TOKEN = `interop-${process.pid}`
const HEALTH_KEYS = ['ok', 'ts', 'durationMs', 'channels', 'channelOrder', 'channelLabels', 'heartbeatSeconds', 'defaultAgentId', 'agents', 'sessions']
/** Their gateway needs seconds to open its port on a quiet machine, over two minutes on the loaded CI box; generous but bounded. */
const PEER_START_MS = 300_000
/** One reference `agent` turn took 45–125 s on the loaded 2-core CI machine (most of it before its first model call). */
const PEER_TURN_MS = 300_000
const OUR_REPLY = 'Hello from our gateway'
const PEER_REPLY = 'Hello via the reference gateway'

/** A provider `fake` on the fake model server whose one model is `model`, the default of every agent. */
function modelConfig(fake: FakeModel, model: string): Record<string, unknown> {
  return {
    models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'interop', api: 'openai-completions', models: [{id: model, name: model}]}}},
    agents: {defaults: {model: `fake/${model}`}},
  }
}

let ours: {home: GatewayHome; proc: GatewayProcess; port: number}
let ourCli: TempHome
let peerCli: PeerHome
let peer: {home: PeerHome; gateway: PeerGateway} | undefined
let peerListening: Promise<void>
let fake: FakeModel

beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'dist', 'openclaw.cjs'))) throw new Error('no build: run `npm run build` first')
  const [ourPort, peerPort] = [await freePort(), await freePort()]
  fake = await startFakeModel()
  // Enough answers for every turn either gateway may ask for; leftovers are fine (destroy, not close).
  for (let i = 0; i < 20; i++) {
    fake.enqueueFor('ours-model', text('Hello from', ' our gateway', {usage: {input: 12, output: 5}}))
    fake.enqueueFor('peer-model', text('Hello via', ' the reference gateway', {usage: {input: 12, output: 5}}))
  }
  // Theirs first: it is the slow one, and its start overlaps the first direction's checks.
  const peerHome = makePeerHome({gateway: {mode: 'local', bind: 'loopback'}, update: {checkOnStart: false}, ...modelConfig(fake, 'peer-model')})
  peer = {home: peerHome, gateway: startPeerGateway(peerHome, peerPort, TOKEN)}
  peerListening = waitForHttp(peerPort, '/health', (r) => r.status === 200, PEER_START_MS, peer.gateway)
  peerListening.catch(() => undefined)
  const home = makeGatewayHome(modelConfig(fake, 'ours-model'))
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
  await fake?.destroy()
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

  it('agent --agent main --message hi prints our reply', async () => {
    const r = await runPeer(['agent', '--agent', 'main', '--message', 'hi'], {env: {...peerCli.env, OPENCLAW_GATEWAY_PORT: String(ours.port), OPENCLAW_GATEWAY_TOKEN: TOKEN}, timeoutMs: 110_000})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim()).toBe(OUR_REPLY)
  }, 120_000)

  it('agent --message hi --json prints our final (payloads, agentMeta) in the main session', async () => {
    const r = await runPeer(['agent', '--message', 'hi', '--json'], {env: {...peerCli.env, OPENCLAW_GATEWAY_PORT: String(ours.port), OPENCLAW_GATEWAY_TOKEN: TOKEN}, timeoutMs: 110_000})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({status: 'ok', sessionKey: 'agent:main:main', result: {payloads: [{text: OUR_REPLY}], meta: {agentMeta: {provider: 'fake', model: 'ours-model', sessionId: expect.any(String)}}}})
  }, 120_000)

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

  it('agent --message hi prints their reply, in their main session', async () => {
    const requestsBefore = fake.requests.filter((r) => (r.body as {model?: string}).model === 'peer-model').length
    const r = await runCli(['agent', '--message', 'hi', '--url', url(), '--token', TOKEN, '--gateway-timeout', '60000'], {env: ourCli.env, timeoutMs: PEER_TURN_MS})
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toBe(`${PEER_REPLY}\n`)
    expect(fake.requests.filter((q) => (q.body as {model?: string}).model === 'peer-model').length).toBeGreaterThan(requestsBefore)
    const sessions = await runCli(['gateway', 'call', 'sessions.list', '--url', url(), '--token', TOKEN, '--json'], {env: ourCli.env, timeoutMs: 60_000})
    expect(JSON.stringify(sessions.json)).toContain('agent:main:main')
  }, PEER_TURN_MS + 10_000)
})
