import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {SUMMARY_SYSTEM_PROMPT} from '../../src/runtime/agents/context/summary-request.js'
import {startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {runCli} from '../helpers/cli.js'
import {makeGatewayHome, type GatewayHome} from '../helpers/gateway-process.js'

let home: GatewayHome
let fake: FakeModel

beforeEach(async () => {
  fake = await startFakeModel()
  home = makeGatewayHome()
  // A 6000-token window: 3000 tokens of budget, two long turns and a third one overflow it.
  home.writeConfig({
    models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'tiny', name: 'Tiny', contextWindow: 6000, maxTokens: 512}]}}},
    agents: {defaults: {model: 'fake/tiny', workspace: path.join(home.home, 'ws'), skipBootstrap: true, compaction: {keepRecentTokens: 700}}},
  })
})
afterEach(async () => {
  await fake.destroy()
  home.cleanup()
})

const long = (tag: string) => `${tag} ${'lorem ipsum '.repeat(330)}`

describe('compaction with the real binary (openclaw agent --local, fake model)', () => {
  it('the third long turn compacts the first two; the fourth sends summary + tail; sessions history shows the compaction', async () => {
    fake.enqueue(text('a1'), text('a2'), text('SUMMARY of q1 and q2'), text('a3'), text('a4'))
    for (const q of ['q1', 'q2', 'q3']) {
      const r = await runCli(['agent', '--local', '-m', long(q)], {env: home.env})
      expect([r.code, r.stderr]).toEqual([0, ''])
    }
    const fourth = await runCli(['agent', '--local', '-m', 'q4 short'], {env: home.env})
    expect(fourth.stdout).toBe('a4\n')
    expect(fake.requests[2].body.messages[0].content).toBe(SUMMARY_SYSTEM_PROMPT)
    const sent = fake.requests[4].body.messages as Array<{role: string; content: string}>
    expect(sent[1].content).toBe('[Summary of the earlier conversation]\nSUMMARY of q1 and q2')
    expect(sent.some((m) => m.content.startsWith('q1') || m.content.startsWith('q2'))).toBe(false)
    expect(sent.at(-1)?.content).toBe('q4 short')

    const history = await runCli(['sessions', 'history', 'main', '--json'], {env: home.env})
    const messages = (history.json as {result: {messages: Array<{role: string; text: string; tokensBefore?: number; tokensAfter?: number}>}}).result.messages
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'compaction', 'assistant', 'user', 'assistant'])
    expect(messages[5]).toMatchObject({text: 'SUMMARY of q1 and q2', tokensBefore: expect.any(Number), tokensAfter: expect.any(Number)})
    const human = await runCli(['sessions', 'history', 'main'], {env: home.env})
    expect(human.stdout).toMatch(/^\[compaction · ~\d+ → ~\d+ tokens\] SUMMARY of q1 and q2$/m)
    const dir = path.join(home.stateDir, 'agents', 'main', 'sessions')
    const index = JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8')) as Record<string, {compactionCount?: number}>
    expect(index['agent:main:main'].compactionCount).toBe(1)
    const lines = readFileSync(path.join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl')) ?? ''), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {type: string; id: string; parentId: string | null; firstKeptEntryId?: string})
    const compaction = lines.find((l) => l.type === 'compaction')
    expect(compaction).toMatchObject({id: expect.stringMatching(/^[0-9a-f]{8}$/), parentId: expect.any(String), firstKeptEntryId: expect.any(String)})
  })
})
