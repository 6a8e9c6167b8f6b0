import {afterEach, describe, expect, it} from 'vitest'

import {streamWithFailover, type FailoverClock, type FailoverEvent, type FailoverRequest} from '../../../src/runtime/models/failover.js'
import {KeyPools} from '../../../src/runtime/models/key-pool.js'
import type {AssistantMessage} from '../../../src/runtime/models/messages.js'
import {resolveModelCandidate} from '../../../src/runtime/models/resolve-model.js'
import {contextOverflow, expectRequest, hang, httpError, stall, startFakeModel, streamError, text, type FakeModel} from '../../fakes/model-server/index.js'
import {collect, fakeConfig, userSays, type Api} from './fake-provider.js'
import {failure} from '../../helpers/app-error-of.js'

let fake: FakeModel
afterEach(async () => {
  await fake?.destroy()
})

/** Sleeps advance a virtual clock at once and are recorded. */
function fakeClock(): FailoverClock & {sleeps: number[]} {
  let now = 1_000_000
  const sleeps: number[] = []
  return {sleeps, now: () => now, random: () => 0, sleep: async (ms) => {
    sleeps.push(ms)
    now += ms
  }}
}

function request(api: Api, refs: string[], options: {env?: Record<string, string>; provider?: Record<string, unknown>; pools?: KeyPools; signal?: AbortSignal; clock?: FailoverClock} = {}): FailoverRequest {
  const config = fakeConfig(fake, api, {...options.provider})
  return {
    candidates: refs.map((ref) => resolveModelCandidate(config, ref, {env: options.env ?? {}})),
    pools: options.pools ?? new KeyPools(),
    system: 'sys',
    messages: [userSays('hi')],
    tools: [],
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? fakeClock(),
  }
}

const final = (events: FailoverEvent[]) => (events.at(-1) as {message: AssistantMessage}).message
const auth = (api: Api, r: {headers: Record<string, string>}) => (api === 'openai-completions' ? r.headers.authorization?.replace('Bearer ', '') : r.headers['x-api-key'])

describe.each(['openai-completions', 'anthropic-messages'] as const)('streamWithFailover (%s)', (api) => {
  it('two keys: a 429 moves to the second key at once, with no wait', async () => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429, {retryAfter: 1}), text('from key two'))
    const clock = fakeClock()
    const events = await collect(streamWithFailover(request(api, ['fake/m1'], {provider: {apiKey: undefined}, env: {FAKE_API_KEYS: 'key-number-one,key-number-two'}, clock})))
    expect(fake.requests.map((r) => auth(api, r))).toEqual(['key-number-one', 'key-number-two'])
    expect(clock.sleeps).toEqual([])
    expect(events.find((e) => e.type === 'rotate')).toEqual({type: 'rotate', provider: 'fake', fromKey: '…-one', toKey: '…-two', reason: 'rate limited, HTTP 429'})
    expect(final(events).content).toEqual([{type: 'text', text: 'from key two'}])
    await fake.close()
  })

  it('one key: a 429 with retry-after: 1 waits at least 1 s, then retries the same key', async () => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429, {retryAfter: 1}), text('later'))
    const clock = fakeClock()
    const events = await collect(streamWithFailover(request(api, ['fake/m1'], {clock})))
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({attempt: 1, reason: 'rate limited, HTTP 429'})
    expect(fake.requests.map((r) => auth(api, r))).toEqual(['test', 'test'])
    await fake.close()
  })

  it('the key pool outlives a run: the rotated-to key stays current for the next run', async () => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429), text('a'), text('b'))
    const pools = new KeyPools()
    const env = {FAKE_API_KEYS: 'key-one key-two'}
    await collect(streamWithFailover(request(api, ['fake/m1'], {provider: {apiKey: undefined}, env, pools})))
    await collect(streamWithFailover(request(api, ['fake/m1'], {provider: {apiKey: undefined}, env, pools})))
    expect(fake.requests.map((r) => auth(api, r))).toEqual(['key-one', 'key-two', 'key-two'])
    await fake.close()
  })

  it('a primary answering 500 is retried 3 times, then the fallback answers and the switch is reported', async () => {
    fake = await startFakeModel()
    fake.enqueueFor('m1', httpError(500), httpError(500), httpError(500), httpError(500))
    fake.enqueueFor('m2', text('fallback here'))
    const clock = fakeClock()
    const events = await collect(streamWithFailover(request(api, ['fake/m1', 'fake/m2'], {clock})))
    expect(fake.requests.map((r) => r.body.model)).toEqual(['m1', 'm1', 'm1', 'm1', 'm2'])
    expect(clock.sleeps).toEqual([500, 1000, 2000])
    expect(events.find((e) => e.type === 'fallback')).toEqual({type: 'fallback', from: 'fake/m1', to: 'fake/m2', reason: 'server error, HTTP 500'})
    expect(final(events)).toMatchObject({model: 'm2', content: [{type: 'text', text: 'fallback here'}]})
    await fake.close()
  })

  it('a 401 disables the key for the provider: the fallback on the same provider is skipped, another provider still runs', async () => {
    fake = await startFakeModel()
    fake.enqueueFor('m1', httpError(401))
    fake.enqueueFor('other', text('other provider'))
    const base = request(api, ['fake/m1', 'fake/m2'])
    const otherConfig = fakeConfig(fake, api, {})
    const other = resolveModelCandidate({...otherConfig, models: {...otherConfig.models, providers: {...otherConfig.models.providers, spare: {...otherConfig.models.providers.fake, apiKey: 'spare-key'}}}}, 'spare/other', {env: {}})
    const events = await collect(streamWithFailover({...base, candidates: [...base.candidates, other]}))
    expect(fake.requests.map((r) => r.body.model)).toEqual(['m1', 'other'])
    expect(events.filter((e) => e.type === 'fallback').map((e) => (e as {reason: string}).reason)).toEqual(['key rejected, HTTP 401', 'key rejected'])
    expect(final(events).provider).toBe('spare')
    await fake.close()
  })

  it('a stall hits the idle timeout and is retried', async () => {
    fake = await startFakeModel()
    fake.enqueue(stall({afterChunks: 1, ms: 3000}), text('recovered'))
    const events = await collect(streamWithFailover(request(api, ['fake/m1'], {provider: {timeoutSeconds: 1}})))
    expect(events.map((e) => e.type)).toContain('reset')
    expect(events.find((e) => e.type === 'retry')).toMatchObject({reason: 'timeout'})
    expect(final(events).content).toEqual([{type: 'text', text: 'recovered'}])
    await fake.close()
  })

  it('a mid-stream disconnect emits reset before the retried answer streams', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({afterChunks: 2}), text('clean'))
    const events = await collect(streamWithFailover(request(api, ['fake/m1'])))
    const types = events.map((e) => e.type)
    expect(types.indexOf('reset')).toBeGreaterThan(types.indexOf('text'))
    expect(types.lastIndexOf('text')).toBeGreaterThan(types.indexOf('reset'))
    await fake.close()
  })

  it('context overflow is thrown to the caller (compaction) without retrying', async () => {
    fake = await startFakeModel()
    fake.enqueue(contextOverflow())
    const error = await failure(collect(streamWithFailover(request(api, ['fake/m1', 'fake/m2']))))
    expect(error.details.kind).toBe('context_overflow')
    expect(fake.requests).toHaveLength(1)
    await fake.close()
  })

  it('abort during a hanging stream stops at once: MODEL_ABORTED, no retry', async () => {
    fake = await startFakeModel()
    fake.enqueue(hang())
    const controller = new AbortController()
    const running = failure(collect(streamWithFailover(request(api, ['fake/m1', 'fake/m2'], {signal: controller.signal}))))
    await fake.waitForRequests(1)
    controller.abort()
    expect((await running).code).toBe('MODEL_ABORTED')
    expect(fake.requests).toHaveLength(1)
    await fake.close()
  })

  it('when every candidate fails the error names each one and carries the chat errorKind', async () => {
    fake = await startFakeModel()
    fake.enqueueFor('m1', httpError(404))
    fake.enqueueFor('m2', httpError(429, {retryAfter: 120}))
    const error = await failure(collect(streamWithFailover(request(api, ['fake/m1', 'fake/m2']))))
    expect(error.code).toBe('MODEL_REQUEST_FAILED')
    expect(error.message).toMatch(/^No model could answer right now \(rate limited, HTTP 429\): fake\/m1: fake answered 404: .*; fake\/m2: fake answered 429: /)
    expect(error.details).toMatchObject({chatErrorKind: 'rate_limit', attempts: [{ref: 'fake/m1', reason: 'model not found, HTTP 404'}, {ref: 'fake/m2', reason: 'rate limited, HTTP 429'}]})
    await fake.close()
  })
})

describe('streamWithFailover details', () => {
  it('a single candidate keeps its own error (the unreachable URL)', async () => {
    fake = await startFakeModel()
    const req = request('openai-completions', ['fake/m1'])
    await fake.close()
    const error = await failure(collect(streamWithFailover(req)))
    expect(error.code).toBe('MODEL_UNREACHABLE')
    expect(error.message).toContain(`cannot reach model server ${fake.openaiBaseUrl}/chat/completions`)
    expect(error.details.chatErrorKind).toBe('unknown')
  })

  it('expectations see the rotated key on the wire', async () => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429), expectRequest((r) => {
      if (r.headers.authorization !== 'Bearer k-two') throw new Error(`key was ${r.headers.authorization}`)
    }), text('ok'))
    await collect(streamWithFailover(request('openai-completions', ['fake/m1'], {provider: {apiKey: 'k-one'}, env: {FAKE_API_KEY: 'k-two'}})))
    await fake.close()
  })
})
