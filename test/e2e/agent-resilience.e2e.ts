/**
 * Resilience of a turn through the real binary (runtime.md §8.4, §8.9; issue 7 acceptance): key
 * rotation on 429, a single key waiting its Retry-After, retries then the fallback model, a stalled
 * stream hitting the idle timeout, `/stop` of a running turn over the gateway, an unreachable model
 * server. Each case has its own HOME and fake model, so they run concurrently: the retry cases
 * spend seconds in real backoff (1 s × 2^(n−1), drawn from [d/2, d]) and would add up in series.
 * Only lower bounds on time are asserted (a wait that must happen); "at once" is asserted against
 * a Retry-After far longer than any scheduling delay.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {hang, httpError, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome} from '../helpers/gateway-process.js'
import {connectClient, connectParams} from '../unit/gateway/harness.js'

interface Line {
  type: string
  customType?: string
  data?: Record<string, unknown>
  message?: {role: string; content: Array<{type: string; text?: string}>; stopReason?: string; errorMessage?: string; model?: string}
}

/** One isolated case: a fresh HOME, its own fake model, cleaned up whatever happens. */
async function withCase(run: (home: GatewayHome, fake: FakeModel) => Promise<void>): Promise<void> {
  const fake = await startFakeModel()
  const home = makeGatewayHome()
  try {
    await run(home, fake)
  } finally {
    await fake.destroy()
    home.cleanup()
  }
}

/** `openai` pointed at the fake: keys come from the real env variables (OPENAI_API_KEYS, …). */
function openaiConfig(fake: FakeModel, home: GatewayHome, extra: {provider?: Record<string, unknown>; model?: unknown; port?: number} = {}): Record<string, unknown> {
  return {
    ...(extra.port === undefined ? {} : {gateway: {mode: 'local', port: extra.port, auth: {token: 'resilience-token'}}}),
    models: {mode: 'replace', providers: {openai: {baseUrl: fake.openaiBaseUrl, models: [{id: 'a', name: 'A'}, {id: 'b', name: 'B'}], ...extra.provider}}},
    agents: {defaults: {model: extra.model ?? 'openai/a', workspace: path.join(home.home, 'ws')}},
  }
}

function transcript(home: GatewayHome): Line[] {
  const dir = path.join(home.stateDir, 'agents', 'main', 'sessions')
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'))
  expect(files).toHaveLength(1)
  return readFileSync(path.join(dir, files[0]), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line)
}

const auth = (fake: FakeModel): string[] => fake.requests.map((request) => request.headers.authorization)
const gap = (fake: FakeModel, i: number): number => fake.requests[i].receivedAt - fake.requests[i - 1].receivedAt

describe.concurrent('agent resilience (real binary, fake model)', () => {
  it('429 with two keys in OPENAI_API_KEYS: the second key answers at once (no Retry-After wait)', () =>
    withCase(async (home, fake) => {
      home.writeConfig(openaiConfig(fake, home))
      fake.enqueue(httpError(429, {retryAfter: 30}), text('rotated'))
      const r = await runCli(['agent', '--local', '-m', 'hi'], {env: {...home.env, OPENAI_API_KEYS: 'key-one, key-two'}, timeoutMs: 50_000})
      expect(r.stderr).toBe('')
      expect(r.stdout).toBe('rotated\n')
      expect(r.code).toBe(0)
      expect(auth(fake)).toEqual(['Bearer key-one', 'Bearer key-two'])
      // Waiting the 30 s Retry-After would time the CLI out; rotation does not wait at all.
      expect(gap(fake, 1)).toBeLessThan(15_000)
    }), 60_000)

  it('429 with Retry-After: 1 and a single key: the same key is retried at least 1 s later', () =>
    withCase(async (home, fake) => {
      home.writeConfig(openaiConfig(fake, home))
      fake.enqueue(httpError(429, {retryAfter: 1}), text('waited'))
      const r = await runCli(['agent', '--local', '-m', 'hi'], {env: {...home.env, OPENAI_API_KEY: 'only-key'}, timeoutMs: 50_000})
      expect(r.stdout).toBe('waited\n')
      expect(r.code).toBe(0)
      expect(auth(fake)).toEqual(['Bearer only-key', 'Bearer only-key'])
      expect(gap(fake, 1)).toBeGreaterThanOrEqual(1000)
    }), 60_000)

  it('a primary that always answers 500: three retries, then the fallback answers; the switch is recorded and shown', () =>
    withCase(async (home, fake) => {
      home.writeConfig(openaiConfig(fake, home, {model: {primary: 'openai/a', fallbacks: ['openai/b']}}))
      fake.enqueueFor('a', ...Array.from({length: 4}, () => httpError(500)))
      fake.enqueueFor('b', text('from the fallback'))
      const r = await runCli(['agent', '--local', '-m', 'hi'], {env: {...home.env, OPENAI_API_KEY: 'k'}, timeoutMs: 50_000})
      expect(r.stdout).toBe('from the fallback\n')
      expect(r.stderr).toBe('↪️ Model fallback: openai/b (selected openai/a; server error, HTTP 500)\n')
      expect(r.code).toBe(0)
      expect(fake.requests.map((request) => request.body.model)).toEqual(['a', 'a', 'a', 'a', 'b'])
      const lines = transcript(home)
      expect(lines.find((line) => line.customType === 'openclaw.model_fallback')?.data).toEqual({from: 'openai/a', to: 'openai/b', reason: 'server error, HTTP 500'})
      expect(lines.at(-1)?.message).toMatchObject({role: 'assistant', model: 'b', stopReason: 'stop', content: [{type: 'text', text: 'from the fallback'}]})
    }), 60_000)

  it('a stalled stream with timeoutSeconds 1: the idle timeout is retried, then reported on stderr and recorded as an error line', () =>
    withCase(async (home, fake) => {
      home.writeConfig(openaiConfig(fake, home, {provider: {timeoutSeconds: 1}}))
      // Every attempt stalls after one chunk (the first attempt and its three retries).
      fake.enqueue(...Array.from({length: 4}, () => hang({afterChunks: 1, text: ['partial', ' never']})))
      const r = await runCli(['agent', '--local', '-m', 'hi'], {env: {...home.env, OPENAI_API_KEY: 'k'}, timeoutMs: 50_000})
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`Error (MODEL_TIMEOUT): model stream idle for 1s (no bytes from ${fake.openaiBaseUrl}/chat/completions)`)
      expect(r.stderr).toContain('openclaw config set models.providers.openai.timeoutSeconds')
      // On a loaded machine the 1 s timer can fire before a request even reached the fake: at most 4 arrive, all cut off.
      expect(fake.requests.length).toBeGreaterThanOrEqual(1)
      expect(fake.requests.length).toBeLessThanOrEqual(4)
      expect(fake.requests.every((request) => request.aborted)).toBe(true)
      const last = transcript(home).at(-1)?.message
      expect(last).toMatchObject({role: 'assistant', stopReason: 'error', errorMessage: expect.stringContaining('model stream idle for 1s')})
    }), 60_000)

  it('an unreachable model server: the error names the URL and exits 1; the turn is recorded with the error', () =>
    withCase(async (home, fake) => {
      const closed = await freePort()
      home.writeConfig(openaiConfig(fake, home, {provider: {baseUrl: `http://127.0.0.1:${closed}/v1`}}))
      const r = await runCli(['agent', '--local', '-m', 'hi'], {env: {...home.env, OPENAI_API_KEY: 'k'}, timeoutMs: 50_000})
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`cannot reach model server http://127.0.0.1:${closed}/v1/chat/completions`)
      expect(r.stderr).toContain('Try this:')
      const lines = transcript(home)
      expect(lines.map((line) => line.message?.role ?? line.type)).toEqual(['session', 'user', 'assistant'])
      expect(lines[2].message).toMatchObject({stopReason: 'error', content: [], errorMessage: expect.stringContaining(`http://127.0.0.1:${closed}`)})
    }), 60_000)

  it('/stop from a second `openclaw agent` aborts the running turn over the gateway; the partial answer is recorded as aborted', () =>
    withCase(async (home, fake) => {
      const port = await freePort()
      home.writeConfig(openaiConfig(fake, home, {port}))
      const env = {...home.env, OPENAI_API_KEY: 'k'}
      const gateway = spawnGateway(['gateway', 'run'], env)
      try {
        await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
        const {client} = await connectClient(`ws://127.0.0.1:${port}`, connectParams({auth: {token: 'resilience-token'}}))
        fake.enqueue(hang({afterChunks: 1, text: ['partial', ' never']}))
        client.send({type: 'req', id: 'run', method: 'agent', params: {message: 'long task', idempotencyKey: 'stop-me'}})
        expect((await client.next((f) => f.type === 'res' && f.id === 'run', 10_000)).payload).toMatchObject({status: 'accepted'})
        await client.next((f) => f.type === 'event' && f.event === 'agent' && f.payload.stream === 'assistant', 10_000)
        const stop = await runCli(['agent', '-m', '/stop', '--json'], {env, timeoutMs: 50_000})
        expect(stop.code).toBe(0)
        expect(stop.json).toMatchObject({ok: true, result: {via: 'gateway', status: 'ok'}})
        expect(stop.json.result.text).toMatch(/stop/i)
        const final = await client.next((f) => f.type === 'res' && f.id === 'run' && f.payload?.status !== 'accepted', 10_000)
        expect(final.payload).toMatchObject({runId: 'stop-me', status: 'ok', summary: 'aborted', stopReason: 'aborted'})
        expect(fake.requests[0].aborted).toBe(true)
        await client.closeAndWait()
        const last = transcript(home).at(-1)?.message
        expect(last).toMatchObject({role: 'assistant', stopReason: 'aborted', content: [{type: 'text', text: 'partial'}]})
      } finally {
        gateway.kill()
        await gateway.exited
      }
    }), 60_000)
})
