import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {UserMessage} from '../../../src/runtime/models/messages.js'
import {createFileSessionStore, createMemorySessionStore} from '../../../src/runtime/sessions/open-store.js'
import type {SessionStore} from '../../../src/runtime/sessions/store.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, {recursive: true, force: true})
})

function clock(start = Date.parse('2026-03-07T13:05:00Z')) {
  let t = start
  return {now: () => t, advance: (ms: number) => (t += ms)}
}

const makers: Array<[string, (now: () => number) => SessionStore]> = [
  ['file store', (now) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'oc-sessions-'))
    roots.push(root)
    return createFileSessionStore(path.join(root, 'agents', 'main', 'sessions'), {agentId: 'main', cwd: '/ws', now, lockTimeoutMs: 300})
  }],
  ['memory store', (now) => createMemorySessionStore({agentId: 'main', cwd: '/ws', now})],
]

const user = (text: string, timestamp = 1): UserMessage => ({role: 'user', content: [{type: 'text', text}], timestamp})
const KEY = 'agent:main:main'

describe.each(makers)('SessionStore contract: %s', (_name, make) => {
  it('ensure creates once, with a header carrying key and agent', async () => {
    const store = make(clock().now)
    const first = await store.ensure(KEY, {agentId: 'main', cwd: '/ws', channel: 'telegram'})
    const second = await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    expect(first.created).toBe(true)
    expect(second).toEqual({entry: first.entry, created: false})
    expect(first.entry).toMatchObject({sessionFile: `${first.entry.sessionId}.jsonl`, channel: 'telegram'})
    const transcript = await store.readTranscript({sessionKey: KEY})
    expect(transcript.header).toMatchObject({type: 'session', version: 3, id: first.entry.sessionId, cwd: '/ws', sessionKey: KEY, agentId: 'main'})
  })

  it('concurrent ensure of one key yields one sessionId', async () => {
    const store = make(clock().now)
    const results = await Promise.all([1, 2, 3].map(() => store.ensure(KEY, {agentId: 'main', cwd: '/ws'})))
    expect(new Set(results.map((r) => r.entry.sessionId)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
  })

  it('append chains parentId and assigns 8-hex ids; active context returns the messages', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    const a = await store.append(KEY, {type: 'message', message: user('hi'), origin: {channel: 'cli', dedupeKeys: ['k1']}})
    const b = await store.append(KEY, {type: 'custom', customType: 'openclaw.model_fallback', data: {to: 'x/y'}})
    const c = await store.append(KEY, {type: 'message', message: {role: 'assistant', content: [{type: 'text', text: 'hello'}], api: 'openai-completions', provider: 'p', model: 'm', usage: {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2}, stopReason: 'stop'}}, {fsync: true})
    expect(a.parentId).toBeNull()
    expect(b.parentId).toBe(a.id)
    expect(c.parentId).toBe(b.id)
    expect(a.id).toMatch(/^[0-9a-f]{8}$/)
    const context = await store.activeContext(KEY)
    expect(context.leafId).toBe(c.id)
    expect(context.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
  })

  it('compaction on the path: summary, kept entries, then the rest', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    await store.append(KEY, {type: 'message', message: user('old 1')})
    const kept = await store.append(KEY, {type: 'message', message: user('kept 2')})
    await store.append(KEY, {type: 'compaction', summary: 'they talked', firstKeptEntryId: kept.id, tokensBefore: 100})
    await store.append(KEY, {type: 'message', message: user('new 3')})
    const {messages, compaction} = await store.activeContext(KEY)
    const texts = messages.map((m) => (m.content[0] as {text: string}).text)
    expect(texts).toEqual(['[Summary of the earlier conversation]\nthey talked', 'kept 2', 'new 3'])
    expect(compaction?.summary).toBe('they talked')
  })

  it('a dangling tool call gets a synthetic aborted result in the context, nothing written', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    await store.append(KEY, {type: 'message', message: user('run it')})
    await store.append(KEY, {type: 'message', message: {role: 'assistant', content: [{type: 'toolCall', id: 'call_1', name: 'exec', arguments: {}}], api: 'a', provider: 'p', model: 'm', usage: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}, stopReason: 'toolUse'}})
    await store.append(KEY, {type: 'message', message: user('again')})
    const {messages} = await store.activeContext(KEY)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'toolResult', 'user'])
    expect(messages[2]).toMatchObject({toolCallId: 'call_1', isError: true, content: [{type: 'text', text: 'aborted'}]})
    expect((await store.readTranscript({sessionKey: KEY})).lines).toHaveLength(3)
  })

  it('patch merges fields, keeps sessionId, and checks expectedSessionId', async () => {
    const store = make(clock().now)
    const {entry} = await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    const patched = await store.patch(KEY, {label: 'home', modelOverride: 'openai/gpt-5', sessionId: 'nope'} as never)
    expect(patched).toMatchObject({sessionId: entry.sessionId, label: 'home', modelOverride: 'openai/gpt-5'})
    expect((await store.patch(KEY, {label: undefined})).label).toBeUndefined()
    await expect(store.patch(KEY, {label: 'x'}, {expectedSessionId: 'other'})).rejects.toMatchObject({code: 'SESSION_CHANGED'})
    await expect(store.patch('agent:main:nope', {label: 'x'})).rejects.toMatchObject({code: 'SESSION_NOT_FOUND'})
  })

  it('reset: marker, new transcript with previousSessionId, entry updated, old archived and readable', async () => {
    const time = clock()
    const store = make(time.now)
    const {entry: old} = await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    await store.append(KEY, {type: 'message', message: user('before')})
    await store.patch(KEY, {label: 'keep me', totalTokens: 99, compactionCount: 2})
    time.advance(60_000)
    const result = await store.reset(KEY, {reason: 'new'})
    expect(result.previousSessionId).toBe(old.sessionId)
    expect(result.sessionId).not.toBe(old.sessionId)
    expect(result.archivedFile).toBe(`${old.sessionId}.jsonl.reset.20260307T130600Z`)
    expect(result.entry).toMatchObject({label: 'keep me', previousSessionId: old.sessionId, resetReason: 'new', sessionStartedAt: time.now()})
    expect(result.entry.totalTokens).toBeUndefined()
    expect(result.entry.compactionCount).toBeUndefined()
    const fresh = await store.readTranscript({sessionKey: KEY})
    expect(fresh.header).toMatchObject({id: result.sessionId, previousSessionId: old.sessionId})
    const archived = await store.readTranscript({sessionKey: KEY, sessionId: old.sessionId})
    expect(archived.lines.at(-1)).toMatchObject({type: 'custom', customType: 'openclaw.session_end', data: {reason: 'new', nextSessionId: result.sessionId}})
    const archives = await store.listArchives()
    expect(archives).toEqual([expect.objectContaining({sessionId: old.sessionId, sessionKey: KEY, agentId: 'main', reason: 'reset', file: result.archivedFile})])
    await expect(store.reset(KEY, {reason: 'rpc', expectedSessionId: old.sessionId})).rejects.toMatchObject({code: 'SESSION_CHANGED'})
  })

  it('delete archives as .deleted, or removes with deleteTranscript', async () => {
    const store = make(clock().now)
    const {entry} = await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    const result = await store.delete(KEY)
    expect(result.archivedFile).toMatch(new RegExp(`^${entry.sessionId}\\.jsonl\\.deleted\\.\\d{8}T\\d{6}Z$`))
    expect(await store.get(KEY)).toBeUndefined()
    expect((await store.listArchives())[0]).toMatchObject({reason: 'deleted', sessionId: entry.sessionId})
    await store.ensure('agent:main:other', {agentId: 'main', cwd: '/ws'})
    expect((await store.delete('agent:main:other', {deleteTranscript: true})).archivedFile).toBeNull()
  })

  it('two resets in the same second get distinct archive names', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    const a = await store.reset(KEY, {reason: 'reset'})
    await store.ensure('agent:main:b', {agentId: 'main', cwd: '/ws'})
    const b = await store.reset(KEY, {reason: 'reset'})
    expect(a.archivedFile).not.toBe(b.archivedFile)
    expect(await store.listArchives()).toHaveLength(2)
  })

  it('lock is exclusive until released', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    const lock = await store.lock(KEY, 'cli')
    await expect(store.lock(KEY, 'cli')).rejects.toMatchObject({code: 'SESSION_LOCKED'})
    // a reset by the lock holder does not wait on its own lock
    await store.reset(KEY, {reason: 'reset'})
    await lock.release()
    await lock.release()
    const again = await store.lock(KEY, 'cli')
    await again.release()
  })

  it('pendingInbound lists markers not consumed by a later user line or drop marker', async () => {
    const store = make(clock().now)
    await store.ensure(KEY, {agentId: 'main', cwd: '/ws'})
    await store.append(KEY, {type: 'custom', customType: 'openclaw.inbound', data: {text: 'a', dedupeKey: 'd1'}})
    await store.append(KEY, {type: 'custom', customType: 'openclaw.inbound', data: {text: 'b', dedupeKey: 'd2'}})
    await store.append(KEY, {type: 'custom', customType: 'openclaw.inbound', data: {text: 'c', dedupeKey: 'd3'}})
    await store.append(KEY, {type: 'message', message: user('a'), origin: {channel: 'telegram', dedupeKeys: ['d1']}})
    await store.append(KEY, {type: 'custom', customType: 'openclaw.inbound_dropped', data: {dedupeKeys: ['d3']}})
    const pending = await store.pendingInbound()
    expect(pending.map((p) => p.data.text)).toEqual(['b'])
  })

  it('lists entries newest first and reads unknown fields back', async () => {
    const time = clock()
    const store = make(time.now)
    await store.ensure('agent:main:a', {agentId: 'main', cwd: '/ws'})
    time.advance(1000)
    await store.ensure('agent:main:b', {agentId: 'main', cwd: '/ws'})
    await store.patch('agent:main:a', {upstreamThing: {x: 1}})
    expect((await store.list()).map((e) => e.sessionKey)).toEqual(['agent:main:a', 'agent:main:b'])
    expect((await store.get('agent:main:a'))?.upstreamThing).toEqual({x: 1})
  })

  it('topic sessions use <sessionId>-topic-<n>.jsonl', async () => {
    const store = make(clock().now)
    const {entry} = await store.ensure('agent:main:telegram:group:-100:topic:5', {agentId: 'main', cwd: '/ws'})
    expect(entry.sessionFile).toBe(`${entry.sessionId}-topic-5.jsonl`)
  })
})
