import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {beforeEach, describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import type {AgentRunner} from '../../../../src/runtime/agents/run/agent-runner.js'
import {NO_FIT_COMPACTION_OFF, NO_LONGER_FITS} from '../../../../src/runtime/agents/context/context-fit.js'
import {SUMMARY_SYSTEM_PROMPT} from '../../../../src/runtime/agents/context/summary-request.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {contextOverflow, text} from '../../../fakes/model-server/index.js'
import {runnerFixture} from '../../../helpers/runner-fixture.js'

const fx = runnerFixture('compaction-run-')

let events: Array<{event: string; payload: {stream?: string; data?: Record<string, unknown>}}>

beforeEach(() => {
  events = []
})

/** A model with a 6000-token window: the reserve is 3000, the budget 3000 tokens (12000 chars). */
function runner(compaction: Record<string, unknown> = {}): AgentRunner {
  const config = fx.config({
    models: {mode: 'replace', providers: {fake: {baseUrl: fx.fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', contextWindow: 6000, maxTokens: 512}]}}},
    agents: {defaults: {model: 'fake/m', workspace: path.join(fx.dir, 'ws'), skipBootstrap: true, compaction: {keepRecentTokens: 700, ...compaction}}},
    tools: {deny: ['*']},
  })
  const paths = fx.paths
  return fx.track(openAgentRunner({config: (): Config => config, paths, env: {}, owner: 'cli', sink: {publish: (event, payload) => events.push({event, payload: payload as never})}}))
}

const sessionsDir = () => path.join(fx.dir, 'state', 'agents', 'main', 'sessions')
interface Line {type: string; id: string; summary?: string; firstKeptEntryId?: string; tokensBefore?: number; tokensAfter?: number; message?: {role: string; content: Array<{text?: string}>; stopReason?: string; errorMessage?: string}}
function transcript(): Line[] {
  const file = readdirSync(sessionsDir()).find((name) => name.endsWith('.jsonl'))
  return readFileSync(path.join(sessionsDir(), file ?? ''), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line)
}
const index = () => JSON.parse(readFileSync(path.join(sessionsDir(), 'sessions.json'), 'utf8')) as Record<string, {sessionId: string; compactionCount?: number}>
type Sent = Array<{role: string; content: string}>
const sent = (n: number): Sent => fx.fake.requests[n].body.messages as Sent
const ask = async (r: AgentRunner, message: string) => (await (await r.start({message})).done)
/** ~1000 tokens of user text per turn. */
const long = (tag: string) => `${tag} ${'lorem ipsum '.repeat(330)}`

describe('context budget and compaction in the run loop (runtime.md §8.6, fake model)', () => {
  it('over budget: the older turns are summarized by the same model; the request is summary + kept tail', async () => {
    const r = runner()
    fx.fake.enqueue(text('a1'), text('a2'))
    await ask(r, long('q1'))
    await ask(r, long('q2'))
    expect(fx.fake.requests).toHaveLength(2)
    fx.fake.enqueue(text('SUMMARY: q1 and q2 were lorem ipsum'), text('a3'))
    const outcome = await ask(r, long('q3'))
    expect(outcome.text).toBe('a3')
    const [summaryRequest, request] = [fx.fake.requests[2].body, fx.fake.requests[3].body]
    expect(summaryRequest.messages[0]).toEqual({role: 'system', content: SUMMARY_SYSTEM_PROMPT})
    expect(summaryRequest.tools).toBeUndefined()
    expect(summaryRequest.max_tokens).toBe(512)
    expect(summaryRequest.messages[1].content).toMatch(/<conversation>\nUser: q1 lorem[^]*\nAssistant: a1\nUser: q2 lorem[^]*\nAssistant: a2\n<\/conversation>/)
    expect(request.messages.slice(1).map((m: {content: string}) => m.content.slice(0, 80))).toEqual(['[Summary of the earlier conversation]\nSUMMARY: q1 and q2 were lorem ipsum', long('q3').slice(0, 80)])
    const lines = transcript()
    const compaction = lines.find((line) => line.type === 'compaction')
    const kept = lines.find((line) => line.id === compaction?.firstKeptEntryId)
    expect(compaction?.summary).toBe('SUMMARY: q1 and q2 were lorem ipsum')
    expect(kept?.message?.content[0].text?.slice(0, 2)).toBe('q3')
    expect(compaction?.tokensBefore).toBeGreaterThan(3000)
    expect(compaction?.tokensAfter).toBeLessThan(3000)
    expect(Object.values(index())[0].compactionCount).toBe(1)
    const phases = events.filter((e) => e.payload.stream === 'compaction').map((e) => e.payload.data)
    expect(phases).toEqual([{phase: 'start', tokensBefore: compaction?.tokensBefore}, {phase: 'end', tokensBefore: compaction?.tokensBefore, tokensAfter: compaction?.tokensAfter}])
  })

  it('a second compaction summarizes the previous summary too; a restart with a torn index sends only summary + tail', async () => {
    const r = runner()
    fx.fake.enqueue(text('a1'), text('a2'), text('S1'), text('a3'), text('a4'))
    for (const q of ['q1', 'q2', 'q3']) await ask(r, long(q))
    fx.fake.enqueue(text('S2'), text('a5'))
    await ask(r, long('q4'))
    await ask(r, long('q5'))
    const second = fx.fake.requests.findIndex((request, i) => i > 3 && request.body.messages[0].content === SUMMARY_SYSTEM_PROMPT)
    expect(fx.fake.requests[second].body.messages[1].content).toMatch(/^<previous-summary>\nS1\n<\/previous-summary>/)
    const sessionId = Object.values(index())[0].sessionId
    writeFileSync(path.join(sessionsDir(), 'sessions.json'), '{"torn')
    fx.fake.enqueue(text('after restart'))
    expect((await ask(runner(), 'short question')).text).toBe('after restart')
    const last = fx.fake.requests.at(-1)?.body.messages as Sent
    expect(last[1].content).toBe('[Summary of the earlier conversation]\nS2')
    expect(last.some((m) => m.content.startsWith('q1') || m.content.startsWith('q3'))).toBe(false)
    expect(Object.values(index())[0].sessionId).toBe(sessionId)
  })

  it('a provider overflow error compacts and retries once (the recent turns that fit keepRecent stay verbatim)', async () => {
    const r = runner()
    fx.fake.enqueue(text('a1'), text('a2'))
    await ask(r, 'q1 short')
    await ask(r, 'q2 short')
    fx.fake.enqueue(contextOverflow(), text('S'), text('fits now'))
    expect((await ask(r, 'q3 short')).text).toBe('fits now')
    expect(fx.fake.requests).toHaveLength(5)
    expect(fx.fake.requests[3].body.messages[0].content).toBe(SUMMARY_SYSTEM_PROMPT)
    expect(sent(4).slice(1).map((m) => m.content)).toEqual(['[Summary of the earlier conversation]\nS', 'q2 short', 'a2', 'q3 short'])
    expect(transcript().filter((line) => line.type === 'compaction')).toHaveLength(1)
  })

  it('still too big after compaction: the run errors with the §8.6 text, the session is not rotated', async () => {
    const r = runner()
    fx.fake.enqueue(text('a1'))
    await ask(r, 'q1 short')
    const sessionId = Object.values(index())[0].sessionId
    fx.fake.enqueue(contextOverflow(), text('S'), contextOverflow())
    const outcome = await ask(r, 'q2 short')
    expect([outcome.status, outcome.error]).toEqual(['error', {message: NO_LONGER_FITS, kind: 'context_length', code: 'MODEL_REQUEST_FAILED', hint: ['Send /new in the conversation, or: openclaw sessions reset agent:main:main']}])
    const last = transcript().at(-1)
    expect([last?.message?.stopReason, last?.message?.errorMessage]).toEqual(['error', NO_LONGER_FITS])
    expect(Object.values(index())[0].sessionId).toBe(sessionId)
    // A new session whose one message is larger than the whole budget: nothing to summarize, nothing sent.
    const before = fx.fake.requests.length
    const huge = await (await r.start({message: 'x'.repeat(20_000), sessionKey: 'huge'})).done
    expect(huge.error?.message).toBe(NO_LONGER_FITS)
    expect(fx.fake.requests).toHaveLength(before)
  })

  it('enabled: false sends an over-budget request as is; an overflow is an error', async () => {
    const r = runner({enabled: false})
    fx.fake.enqueue(text('a1'), text('a2'), contextOverflow())
    await ask(r, long('q1'))
    await ask(r, long('q2'))
    const outcome = await ask(r, long('q3'))
    expect(outcome.error?.message).toBe(NO_FIT_COMPACTION_OFF)
    expect(sent(2).filter((m) => m.role === 'user')).toHaveLength(3)
    expect(transcript().some((line) => line.type === 'compaction')).toBe(false)
  })
})
