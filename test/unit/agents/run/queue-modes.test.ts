import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {openAgentRunner, openSessionStores} from '../../../../src/runtime/agents/open-runner.js'
import {createFileSessionStore} from '../../../../src/runtime/sessions/open-store.js'
import type {AgentRunner} from '../../../../src/runtime/agents/run/agent-runner.js'
import type {SessionStore} from '../../../../src/runtime/sessions/store.js'
import {COLLECT_HEADER} from '../../../../src/runtime/agents/run/queue-plan.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {hang, httpError, stall, text, toolCall, type FakeModel} from '../../../fakes/model-server/index.js'
import {runnerFixture} from '../../../helpers/runner-fixture.js'

const fx = runnerFixture('queue-modes-')

function runner(queue: Record<string, unknown>, session: Record<string, unknown> = {}, wrap?: (store: SessionStore) => SessionStore): AgentRunner {
  const config = fx.config({
    agents: {defaults: {model: 'fake/m', workspace: path.join(fx.dir, 'ws')}},
    messages: {queue},
    session,
  })
  const paths = fx.paths
  const options = {config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'cli' as const}
  const stores = openSessionStores(options)
  return fx.track(openAgentRunner(options, wrap === undefined ? stores : {forAgent: (agentId) => wrap(stores.forAgent(agentId))}))
}

interface Line {type: string; customType?: string; data?: {dedupeKeys?: string[]}; message?: {role: string; content: Array<{text?: string}>}; origin?: {dedupeKeys?: string[]}}
function transcript(): Line[] {
  const sessions = path.join(fx.dir, 'state', 'agents', 'main', 'sessions')
  const file = readdirSync(sessions).find((name) => name.endsWith('.jsonl'))
  return readFileSync(path.join(sessions, file ?? ''), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line)
}
const userTexts = (): string[] => transcript().filter((l) => l.message?.role === 'user').map((l) => l.message?.content[0].text ?? '')
const lastUserText = (index: number): string => {
  const messages = fx.fake.requests[index].body.messages as Array<{role: string; content: string}>
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''
}

describe('queue modes (runtime.md §8.5, in-process runner, fake model)', () => {
  it('collect: messages that arrive during a run become one turn after the debounce; every caller gets its answer', async () => {
    const r = runner({mode: 'collect', debounceMs: 50})
    let queuedBoth!: () => void
    // The first answer comes only once both later messages are queued (order, not timing).
    fx.fake.enqueue({...text('one'), holdUntil: new Promise<void>((resolve) => (queuedBoth = resolve))}, text('both seen'))
    const first = await r.start({message: 'first'})
    const second = await r.start({message: 'second'})
    const third = await r.start({message: 'third'})
    queuedBoth()
    expect([first.admitted.queued, second.admitted.queued, third.admitted.queued]).toEqual([false, true, true])
    await first.done
    const [a, b] = await Promise.all([second.done, third.done])
    expect([a.text, b.text, a.runId]).toEqual(['both seen', 'both seen', second.admitted.runId])
    expect(fx.fake.requests).toHaveLength(2)
    expect(lastUserText(1)).toMatch(new RegExp(`^\\${COLLECT_HEADER}\\n--- #1 · \\d\\d:\\d\\d\\nsecond\\n--- #2 · \\d\\d:\\d\\d\\nthird$`))
    const consuming = transcript().filter((l) => l.message?.role === 'user').at(-1)
    expect(consuming?.origin?.dedupeKeys).toEqual([`run:${second.admitted.runId}`, `run:${third.admitted.runId}`])
    expect(transcript().filter((l) => l.customType === 'openclaw.inbound')).toHaveLength(2)
  })

  it('collect over a channel: the chat gets one reply for a collected turn, not one per message', async () => {
    const r = runner({mode: 'collect', debounceMs: 0})
    let queuedBoth!: () => void
    fx.fake.enqueue({...text('to the first'), holdUntil: new Promise<void>((resolve) => (queuedBoth = resolve))}, text('to both others'))
    const finals: string[] = []
    let delivered!: () => void
    const allDelivered = new Promise<void>((resolve) => (delivered = resolve))
    const sink = {typing: () => undefined, preview: () => undefined, error: (m: string) => void finals.push(`error: ${m}`), final: (reply: {text: string}) => {
      finals.push(reply.text)
      if (finals.length === 2) delivered()
    }}
    const dm = (n: number) => ({
      channel: 'telegram', accountId: 'default', messageId: String(n), dedupeKey: `telegram:default:dm:${n}`, peer: {kind: 'direct' as const, id: '42'},
      sender: {id: '42', displayName: 'Alice', isBot: false}, text: `message ${n}`, media: [], mentioned: true, sentAt: Date.now(), receivedAt: Date.now(),
    })
    await r.inbound(dm(1), sink)
    const [second, third] = [await r.inbound(dm(2), sink), await r.inbound(dm(3), sink)]
    expect([second.queued, third.queued]).toEqual([true, true])
    queuedBoth()
    await allDelivered
    await r.settled()
    // A third final (the collected answer sent once per message) would arrive in the same tick.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(finals).toEqual(['to the first', 'to both others'])
    expect(fx.fake.requests).toHaveLength(2)
  })

  it('followup: each queued message is its own turn, in order', async () => {
    const r = runner({mode: 'followup', debounceMs: 0})
    fx.fake.enqueue(stall({ms: 200, text: ['a']}), text('b-answer'), text('c-answer'))
    const handles = [await r.start({message: 'a'}), await r.start({message: 'b'}), await r.start({message: 'c'})]
    const outcomes = await Promise.all(handles.map((h) => h.done))
    expect(outcomes.map((o) => o.text)).toEqual(['a', 'b-answer', 'c-answer'])
    expect(userTexts()).toEqual(['a', 'b', 'c'])
  })

  it('concurrent admissions on one session commit and run in call order (no later message overtakes an earlier one)', async () => {
    const r = runner({mode: 'followup', debounceMs: 0})
    const count = 12
    fx.fake.enqueue(...Array.from({length: count}, (_, i) => text(`answer ${i}`)))
    // Not awaited one by one: the gateway calls start() for each frame as it arrives.
    const handles = await Promise.all(Array.from({length: count}, (_, i) => r.start({message: `message ${i}`})))
    expect(handles.map((h) => h.admitted.queued)).toEqual(Array.from({length: count}, (_, i) => i > 0))
    const outcomes = await Promise.all(handles.map((h) => h.done))
    expect(outcomes.map((o) => o.text)).toEqual(Array.from({length: count}, (_, i) => `answer ${i}`))
    expect(userTexts()).toEqual(Array.from({length: count}, (_, i) => `message ${i}`))
    const markers = transcript().filter((l) => l.customType === 'openclaw.inbound').map((l) => (l.data as {text?: string}).text)
    expect(markers).toEqual(Array.from({length: count - 1}, (_, i) => `message ${i + 1}`))
  })

  it('a message whose marker is still being written when the running turn ends is not lost: it runs in the same lane', async () => {
    let releaseMarker: () => void = () => undefined
    const markerHeld = new Promise<void>((resolve) => (releaseMarker = resolve))
    let markerStarted: () => void = () => undefined
    const markerWriting = new Promise<void>((resolve) => (markerStarted = resolve))
    // The marker write of the queued message stalls until the running turn has finished.
    const r = runner({mode: 'followup', debounceMs: 0}, {}, (store) => new Proxy(store, {
      get: (target, prop, receiver) => prop !== 'append' ? Reflect.get(target, prop, receiver) as unknown : async (...args: Parameters<SessionStore['append']>) => {
        if (args[1].type === 'custom' && args[1].customType === 'openclaw.inbound') {
          markerStarted()
          await markerHeld
        }
        return target.append(...args)
      },
    }))
    fx.fake.enqueue(text('first answer'), text('second answer'))
    const first = await r.start({message: 'first'})
    const second = r.start({message: 'second'})
    await markerWriting
    expect((await first.done).text).toBe('first answer')
    releaseMarker()
    const outcome = await (await second).done
    expect(outcome.text).toBe('second answer')
    expect(userTexts()).toEqual(['first', 'second'])
  })

  it('interrupt: aborts the running turn, drops the others with an inbound_dropped marker, runs the newest', async () => {
    const r = runner({mode: 'followup', debounceMs: 0, cap: 20})
    fx.fake.enqueue(hang({text: ['partial']}), text('newest answer'))
    const running = await r.start({message: 'long job'})
    const waiting = await r.start({message: 'will be dropped'})
    // The session's queueMode overrides the config (§8.5).
    await runnerStoreSetMode(r, 'interrupt')
    const newest = await r.start({message: 'stop that, do this'})
    expect((await running.done).result.meta.aborted).toBe(true)
    expect((await waiting.done).summary).toBe('dropped (interrupt)')
    expect((await newest.done).text).toBe('newest answer')
    const dropped = transcript().find((l) => l.customType === 'openclaw.inbound_dropped')
    expect(dropped?.data?.dedupeKeys).toEqual([`run:${waiting.admitted.runId}`])
    expect(userTexts()).toEqual(['long job', 'stop that, do this'])
  })

  it('cap: the oldest queued messages are dropped and the next turn starts with a note about them', async () => {
    const r = runner({mode: 'followup', debounceMs: 0, cap: 1})
    fx.fake.enqueue(stall({ms: 200, text: ['x']}), text('ok'))
    const first = await r.start({message: 'busy'})
    const old = await r.start({message: 'an old message'})
    const kept = await r.start({message: 'the kept one'})
    await first.done
    expect((await old.done).summary).toBe('dropped (cap)')
    expect((await kept.done).text).toBe('ok')
    expect(lastUserText(1)).toBe('[1 earlier message was dropped: - you: an old message]\nthe kept one')
  })

  it('steer: a message joins the running turn at the next tool boundary, before the next model call', async () => {
    const r = runner({mode: 'steer', debounceMs: 0})
    let steerCommitted!: () => void
    // The tool call (and so the boundary) comes only after the steering message was admitted.
    fx.fake.enqueue({...toolCall('nosuchtool', {}), holdUntil: new Promise<void>((resolve) => (steerCommitted = resolve))}, text('steered answer'))
    const running = await r.start({message: 'start'})
    const steer = await r.start({message: 'also consider this'})
    steerCommitted()
    const a = await running.done
    const b = await steer.done
    expect([a.text, b.text]).toEqual(['steered answer', 'steered answer'])
    expect(fx.fake.requests).toHaveLength(2)
    expect(lastUserText(1)).toBe('also consider this')
  })

  it('/stop (abort of the session) aborts the turn and drops what waits', async () => {
    const r = runner({mode: 'collect', debounceMs: 0})
    fx.fake.enqueue(hang({text: ['p']}))
    const running = await r.start({message: 'go'})
    const queued = await r.start({message: 'later'})
    // Abort a turn whose model request is in flight (not one still on its way there).
    await fx.fake.waitForRequests(1)
    expect(r.abort('agent:main:main')).toEqual([running.admitted.runId, queued.admitted.runId])
    expect((await running.done).result.meta.aborted).toBe(true)
    expect((await queued.done).summary).toBe('dropped (stop)')
    expect(fx.fake.requests).toHaveLength(1)
  })
})

async function runnerStoreSetMode(r: AgentRunner, mode: 'interrupt'): Promise<void> {
  await (r as unknown as {deps: {stores: {forAgent(id: string): {patch(key: string, patch: object): Promise<unknown>}}}}).deps.stores.forAgent('main').patch('agent:main:main', {queueMode: mode})
}

describe('restart replay (runtime.md §8.1 Restart, §8.5)', () => {
  it('runs a trailing user line again, queues unconsumed markers once, marks abortedLastRun; a second replay runs nothing', async () => {
    const store = createFileSessionStore(path.join(fx.dir, 'state', 'agents', 'main', 'sessions'), {agentId: 'main', cwd: fx.dir})
    await store.ensure('agent:main:main', {agentId: 'main', cwd: fx.dir})
    await store.append('agent:main:main', {type: 'message', message: {role: 'user', content: [{type: 'text', text: 'answered before the crash?'}], timestamp: 1}})
    await store.append('agent:main:main', {type: 'custom', customType: 'openclaw.inbound', data: {runId: 'r1', text: 'queued one', origin: {channel: 'telegram', senderName: 'Alice'}, dedupeKey: 'telegram:default:u:1'}})
    await store.append('agent:main:main', {type: 'custom', customType: 'openclaw.inbound', data: {runId: 'r2', text: 'queued two', origin: null}})
    const r = runner({mode: 'followup', debounceMs: 0})
    fx.fake.enqueue(text('first answer'), text('second answer'), text('third answer'))
    const report = await r.replay()
    expect(report).toMatchObject({resumed: ['agent:main:main'], requeued: 2, abortedLastRun: ['agent:main:main']})
    expect((await Promise.all(report.handles.map((h) => h.done))).map((o) => o.text)).toEqual(['first answer', 'second answer', 'third answer'])
    expect(userTexts()).toEqual(['answered before the crash?', 'queued one', 'queued two'])
    expect(transcript().filter((l) => l.customType === 'openclaw.inbound')).toHaveLength(2)

    const again = await runner({mode: 'followup', debounceMs: 0}).replay()
    expect(again).toMatchObject({resumed: [], requeued: 0, abortedLastRun: []})
    expect(fx.fake.requests).toHaveLength(3)
  })
})

describe('restart replay order (runtime.md §8.5 "in order")', () => {
  it('a message that arrives while the replay is queued waits behind the replayed ones', async () => {
    const store = createFileSessionStore(path.join(fx.dir, 'state', 'agents', 'main', 'sessions'), {agentId: 'main', cwd: fx.dir})
    await store.ensure('agent:main:main', {agentId: 'main', cwd: fx.dir})
    await store.append('agent:main:main', {type: 'message', message: {role: 'user', content: [{type: 'text', text: 'running at the crash'}], timestamp: 1}})
    for (const n of [1, 2, 3]) await store.append('agent:main:main', {type: 'custom', customType: 'openclaw.inbound', data: {runId: `r${n}`, text: `queued ${n}`, origin: null}})
    const r = runner({mode: 'followup', debounceMs: 0})
    fx.fake.enqueue(...['a0', 'a1', 'a2', 'a3', 'live answer'].map((answer) => text(answer)))
    const replay = r.replay()
    // Arrives before the replay read the transcript: it must not take the lane ahead of the replayed messages.
    const live = r.start({message: 'live'})
    const report = await replay
    const outcomes = await Promise.all([...report.handles.map((h) => h.done), (await live).done])
    expect(outcomes.map((o) => o.text)).toEqual(['a0', 'a1', 'a2', 'a3', 'live answer'])
    expect(userTexts()).toEqual(['running at the crash', 'queued 1', 'queued 2', 'queued 3', 'live'])
  })
})

describe('restart replay when a message cannot start again', () => {
  it('reports it (no key any more) and keeps going instead of rejecting the whole replay', async () => {
    const store = createFileSessionStore(path.join(fx.dir, 'state', 'agents', 'main', 'sessions'), {agentId: 'main', cwd: fx.dir})
    for (const key of ['agent:main:a', 'agent:main:b']) {
      await store.ensure(key, {agentId: 'main', cwd: fx.dir})
      await store.append(key, {type: 'custom', customType: 'openclaw.inbound', data: {runId: key, text: `queued on ${key}`, origin: null}})
    }
    const {config} = validateConfigTree({models: {mode: 'replace', providers: {openai: {baseUrl: 'https://api.openai.example/v1', models: [{id: 'm', name: 'M'}]}}}, agents: {defaults: {model: 'openai/m', workspace: path.join(fx.dir, 'ws')}}})
    if (config === null) throw new Error('config')
    const paths = fx.paths
    const report = await openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'cli'}).replay()
    expect(report.handles).toEqual([])
    expect(report.failed.map((f) => f.sessionKey).sort()).toEqual(['agent:main:a', 'agent:main:b'])
    expect(report.failed[0].error).toContain('OPENAI_API_KEY')
    expect(fx.fake.requests).toHaveLength(0)
  })
})

describe('model fallback notice to a channel (runtime.md §8.4)', () => {
  it('a DM origin gets the notice before its reply; a group origin does not', async () => {
    const models = {id: 'm', name: 'M'}
    const {config} = validateConfigTree({
      models: {mode: 'replace', providers: {one: {baseUrl: fx.fake.openaiBaseUrl, apiKey: 'k1', models: [models]}, two: {baseUrl: fx.fake.openaiBaseUrl, apiKey: 'k2', models: [models]}}},
      agents: {defaults: {model: {primary: 'one/m', fallbacks: ['two/m']}, workspace: path.join(fx.dir, 'ws')}},
      session: {dmScope: 'per-peer'},
    })
    if (config === null) throw new Error('config')
    const paths = fx.paths
    const r = openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'cli'})
    const deliver = async (kind: 'direct' | 'group', ...steps: Parameters<FakeModel['enqueue']>): Promise<string[]> => {
      fx.fake.enqueue(...steps)
      const seen: string[] = []
      let finished: () => void = () => undefined
      const done = new Promise<void>((resolve) => (finished = resolve))
      const envelope = {
        channel: 'telegram', accountId: 'default', messageId: `${kind}-1`, dedupeKey: `telegram:default:${kind}`, peer: {kind, id: kind === 'direct' ? '42' : '-100'},
        sender: {id: '42', displayName: 'Alice', isBot: false}, text: 'hi', media: [], mentioned: true, sentAt: Date.now(), receivedAt: Date.now(),
      }
      await r.inbound(envelope, {typing: () => undefined, preview: () => undefined, notice: (t) => seen.push(`notice: ${t}`), error: (m) => (seen.push(`error: ${m}`), finished()), final: (reply) => (seen.push(`final: ${reply.text}`), finished())})
      await done
      return seen
    }
    // A 401 moves on at once: no backoff in this test.
    expect(await deliver('direct', httpError(401), text('answer to direct'))).toEqual(['notice: ↪️ Model fallback: two/m (selected one/m; key rejected, HTTP 401)', 'final: answer to direct'])
    // The 401 disabled one's key for this runner: the group turn falls back without a request to one.
    expect(await deliver('group', text('answer to group'))).toEqual(['final: answer to group'])
    expect(fx.fake.requests.map((request) => request.headers.authorization)).toEqual(['Bearer k1', 'Bearer k2', 'Bearer k2'])
  })
})

describe('reset policy at admission (runtime.md §6.2)', () => {
  it('an idle session starts over with resetReason idle and an archive; a fresh one is kept', async () => {
    const r = runner({}, {reset: {mode: 'idle', idleMinutes: 1}})
    fx.fake.enqueue(text('one'), text('two'), text('three'))
    const first = await r.start({message: 'hello'})
    await first.done
    const kept = await r.start({message: 'soon after'})
    await kept.done
    expect(kept.admitted.sessionId).toBe(first.admitted.sessionId)
    // Time passes: another writer ages the entry once the runner's own bookkeeping is on disk.
    await r.settled()
    const store = createFileSessionStore(path.join(fx.dir, 'state', 'agents', 'main', 'sessions'), {agentId: 'main', cwd: fx.dir})
    await store.patch('agent:main:main', {lastInteractionAt: Date.now() - 2 * 60_000})
    const later = await r.start({message: 'much later'})
    await later.done
    expect(later.admitted.sessionId).not.toBe(first.admitted.sessionId)
    expect(await store.get('agent:main:main')).toMatchObject({resetReason: 'idle', previousSessionId: first.admitted.sessionId})
    expect(readdirSync(path.join(fx.dir, 'state', 'agents', 'main', 'sessions')).filter((name) => name.includes('.reset.'))).toHaveLength(1)
    expect(userTexts()).toEqual(['much later'])
  })
})
