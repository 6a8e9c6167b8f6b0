// Lazy index patches (run bookkeeping, runtime.md §5.2 lets the index lag the transcripts) and the
// writer's cached transcript state: what a caller was told is written is on disk for a fresh
// reader (another process), and nothing another writer did is lost or hidden.
import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {LAZY_WRITE_DELAY_MS} from '../../../src/runtime/sessions/index-cache.js'
import {createFileSessionStore} from '../../../src/runtime/sessions/open-store.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'oc-lazy-index-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

let n = 0
const fresh = (dir: string) => createFileSessionStore(dir, {agentId: 'main', cwd: '/ws'})
const user = (text: string) => ({type: 'message' as const, message: {role: 'user' as const, content: [{type: 'text' as const, text}], timestamp: 1}})
const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8')) as Record<string, Record<string, unknown>>

describe('lazy index patches', () => {
  it('are visible at once in the process, and on disk for a fresh reader once flush resolves', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const patched = await store.patch('agent:main:main', {totalTokens: 42, updatedAt: 7}, {lazy: true})
    expect(patched).toMatchObject({totalTokens: 42, updatedAt: 7})
    expect(await store.get('agent:main:main')).toMatchObject({totalTokens: 42})
    await store.flush()
    expect(onDisk(dir)['agent:main:main']).toMatchObject({totalTokens: 42, updatedAt: 7})
    expect(await fresh(dir).get('agent:main:main')).toMatchObject({totalTokens: 42})
  })

  it('many lazy patches in one tick all land; a durable patch after them includes them', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    const keys = Array.from({length: 10}, (_, i) => `agent:main:k${i}`)
    for (const key of keys) await store.ensure(key, {agentId: 'main', cwd: '/ws'})
    await Promise.all(keys.map((key, i) => store.patch(key, {totalTokens: i}, {lazy: true})))
    await store.patch('agent:main:k0', {label: 'durable'})
    // The durable patch resolved: it and every lazy patch before it are on disk.
    const index = onDisk(dir)
    keys.forEach((key, i) => expect(index[key]).toMatchObject({totalTokens: i}))
    expect(index['agent:main:k0']).toMatchObject({label: 'durable'})
    await store.flush()
  })

  it('a lazy patch survives another process rewriting the index before it is written', async () => {
    const dir = path.join(root, `s${++n}`)
    const ours = fresh(dir)
    const theirs = fresh(dir)
    await ours.ensure('agent:main:a', {agentId: 'main', cwd: '/ws'})
    await theirs.ensure('agent:main:b', {agentId: 'main', cwd: '/ws'})
    await ours.patch('agent:main:a', {totalTokens: 5}, {lazy: true})
    await theirs.patch('agent:main:b', {label: 'theirs'})
    await ours.flush()
    const index = onDisk(dir)
    expect(index['agent:main:a']).toMatchObject({totalTokens: 5})
    expect(index['agent:main:b']).toMatchObject({label: 'theirs'})
    expect(await ours.get('agent:main:b')).toMatchObject({label: 'theirs'})
  })

  it('a burst of lazy patches shares one index write, made by itself within LAZY_WRITE_DELAY_MS', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const inode = () => statSync(path.join(dir, 'sessions.json')).ino
    const before = inode()
    for (let i = 1; i <= 20; i++) await store.patch('agent:main:main', {totalTokens: i}, {lazy: true})
    // Every write renames a new file over the index: the same inode means nothing was written yet.
    expect(inode()).toBe(before)
    expect(onDisk(dir)['agent:main:main'].totalTokens).toBeUndefined()
    const deadline = Date.now() + 10_000
    while (onDisk(dir)['agent:main:main'].totalTokens !== 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, LAZY_WRITE_DELAY_MS / 5))
    expect(onDisk(dir)['agent:main:main'].totalTokens).toBe(20)
    const written = inode()
    await store.flush()
    expect(inode()).toBe(written)
  })

  it('a lazy patch of an unknown key is refused and writes nothing', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await expect(store.patch('agent:main:nope', {label: 'x'}, {lazy: true})).rejects.toMatchObject({code: 'SESSION_NOT_FOUND'})
    await store.flush()
    expect(Object.keys(onDisk(dir))).toEqual(['agent:main:main'])
  })
})

describe('cached transcript state', () => {
  it('an acknowledged append is on disk, and the context sees lines another process appended', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    const {entry} = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const first = await store.append('agent:main:main', user('one'))
    const file = path.join(dir, entry.sessionFile)
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)).toBe(JSON.stringify(first))
    expect((await store.activeContext('agent:main:main')).messages).toHaveLength(1)
    // Another process (here: a raw append) adds a line: the cache notices the size change.
    const foreign = {type: 'message', id: 'abcdef01', parentId: first.id, timestamp: new Date(2).toISOString(), message: {role: 'user', content: [{type: 'text', text: 'two'}], timestamp: 2}}
    appendFileSync(file, JSON.stringify(foreign) + '\n')
    const context = await store.activeContext('agent:main:main')
    expect(context.leafId).toBe('abcdef01')
    // The context memo of the first read is not reused for the re-read file.
    expect(context.messages.map((m) => (m.content[0] as {text: string}).text)).toEqual(['one', 'two'])
    const third = await store.append('agent:main:main', user('three'))
    expect(third.parentId).toBe('abcdef01')
  })

  it('under a held lock, appends chain on the writer state; a fresh reader sees every line in order', async () => {
    const dir = path.join(root, `s${++n}`)
    const store = fresh(dir)
    await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await store.append('agent:main:main', user('before the lock'))
    const lock = await store.lock('agent:main:main', 'gateway')
    const lines = []
    for (let i = 0; i < 5; i++) lines.push(await store.append('agent:main:main', user(`in run ${i}`), {fsync: i === 4}))
    await lock.release()
    const transcript = await fresh(dir).readTranscript({sessionKey: 'agent:main:main'})
    expect(transcript.lines.slice(1).map((line) => line.id)).toEqual(lines.map((line) => line.id))
    expect(transcript.lines.slice(1).map((line) => line.parentId)).toEqual([transcript.lines[0].id, ...lines.slice(0, -1).map((line) => line.id)])
    expect((await store.activeContext('agent:main:main')).messages).toHaveLength(6)
  })
})
