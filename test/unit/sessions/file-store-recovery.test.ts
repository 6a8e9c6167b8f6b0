import {appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {createFileSessionStore} from '../../../src/runtime/sessions/open-store.js'

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, {recursive: true, force: true})
})

function freshDir(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oc-recover-'))
  roots.push(root)
  return path.join(root, 'sessions')
}

const open = (dir: string) => createFileSessionStore(dir, {agentId: 'main', cwd: '/ws'})
const user = (text: string) => ({type: 'message' as const, message: {role: 'user' as const, content: [{type: 'text' as const, text}], timestamp: 1}})

describe('file store: index writes and recovery (runtime.md §5.2, §6.3)', () => {
  it('writes sessions.json and transcripts 0600 in a 0700 dir', async () => {
    const dir = freshDir()
    const {entry} = await open(dir).ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(path.join(dir, 'sessions.json')).mode & 0o777).toBe(0o600)
    expect(statSync(path.join(dir, entry.sessionFile)).mode & 0o777).toBe(0o600)
  })

  it('unknown index fields written by upstream survive our rewrites', async () => {
    const dir = freshDir()
    const store = open(dir)
    const {entry} = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const raw = JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8')) as Record<string, Record<string, unknown>>
    raw['agent:main:main'].skillsSnapshot = {a: [1, 2]}
    writeFileSync(path.join(dir, 'sessions.json'), JSON.stringify(raw))
    await store.patch('agent:main:main', {label: 'x'})
    const after = JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8')) as Record<string, Record<string, unknown>>
    expect(after['agent:main:main']).toMatchObject({sessionId: entry.sessionId, label: 'x', skillsSnapshot: {a: [1, 2]}})
  })

  it('a torn index is renamed aside, never overwritten, and rebuilt from transcript headers', async () => {
    const dir = freshDir()
    const first = open(dir)
    const a = await first.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const b = await first.ensure('agent:main:telegram:direct:7', {agentId: 'main', cwd: '/ws'})
    const torn = readFileSync(path.join(dir, 'sessions.json'), 'utf8').slice(0, 40)
    writeFileSync(path.join(dir, 'sessions.json'), torn)

    const store = open(dir)
    const report = await store.recover()
    expect(report.corruptIndexRenamedTo).toMatch(/^sessions\.json\.corrupt\.\d{8}T\d{6}Z$/)
    expect(readFileSync(path.join(dir, report.corruptIndexRenamedTo!), 'utf8')).toBe(torn)
    expect(report.rebuiltEntries).toBe(2)
    expect((await store.get('agent:main:main'))?.sessionId).toBe(a.entry.sessionId)
    expect((await store.get('agent:main:telegram:direct:7'))?.sessionId).toBe(b.entry.sessionId)
  })

  it('a deleted index is rebuilt from the transcripts: the next message keeps the sessionId', async () => {
    const dir = freshDir()
    const first = open(dir)
    const a = await first.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await first.append('agent:main:main', user('before the loss'))
    await first.flush()
    unlinkSync(path.join(dir, 'sessions.json'))

    const store = open(dir)
    const again = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    expect(again.entry.sessionId).toBe(a.entry.sessionId)
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1)
    expect(JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8'))['agent:main:main'].sessionId).toBe(a.entry.sessionId)
  })

  it('a rebuilt index recounts the compactions each transcript records', async () => {
    const dir = freshDir()
    const first = open(dir)
    await first.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await first.ensure('agent:main:other', {agentId: 'main', cwd: '/ws'})
    const first1 = await first.append('agent:main:main', user('one'))
    await first.append('agent:main:main', {type: 'compaction', summary: 'a summary "compaction"', firstKeptEntryId: first1.id, tokensBefore: 900, tokensAfter: 100})
    await first.append('agent:main:main', user('the word "compaction" in a message is not one'))
    await first.append('agent:main:main', {type: 'compaction', summary: 'again', firstKeptEntryId: first1.id, tokensBefore: 800})
    await first.flush()
    unlinkSync(path.join(dir, 'sessions.json'))

    const store = open(dir)
    expect((await store.get('agent:main:main'))?.compactionCount).toBe(2)
    expect((await store.get('agent:main:other'))?.compactionCount).toBeUndefined()
  })

  it('an empty store without an index stays unwritten when only read', async () => {
    const dir = freshDir()
    const store = open(dir)
    expect(await store.get('agent:main:main')).toBeUndefined()
    expect(() => statSync(path.join(dir, 'sessions.json'))).toThrow(/ENOENT/)
  })

  it('a missing transcript keeps its sessionId: recovered header, never a new id', async () => {
    const dir = freshDir()
    const {entry} = await open(dir).ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    unlinkSync(path.join(dir, entry.sessionFile))
    const store = open(dir)
    const report = await store.recover()
    expect(report.recoveredTranscripts).toEqual(['agent:main:main'])
    const again = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    expect(again.entry).toMatchObject({sessionId: entry.sessionId, recovered: true})
    expect((await store.readTranscript({sessionKey: 'agent:main:main'})).header).toMatchObject({id: entry.sessionId, recovered: true})
  })

  it('a torn last line is skipped with a warning; the next append starts on a fresh line', async () => {
    const dir = freshDir()
    const store = open(dir)
    const {entry} = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const kept = await store.append('agent:main:main', user('one'))
    appendFileSync(path.join(dir, entry.sessionFile), '{"type":"message","id":"dead')
    const reader = open(dir)
    const transcript = await reader.readTranscript({sessionKey: 'agent:main:main'})
    expect(transcript.lines.map((l) => l.id)).toEqual([kept.id])
    expect(transcript.warnings).toEqual([`${entry.sessionFile}: torn last line ignored`])
    const next = await reader.append('agent:main:main', user('two'))
    expect(next.parentId).toBe(kept.id)
    const after = await reader.readTranscript({sessionKey: 'agent:main:main'})
    expect(after.lines.map((l) => l.id)).toEqual([kept.id, next.id])
    expect(after.warnings).toEqual([`${entry.sessionFile}: 1 malformed line(s) skipped`])
  })

  it('a crash after the session-end marker is completed at startup: exactly one active session', async () => {
    const dir = freshDir()
    const store = open(dir)
    const {entry} = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    // step 3 done, then the process died before creating the new transcript
    await store.append('agent:main:main', {type: 'custom', customType: 'openclaw.session_end', data: {reason: 'new', nextSessionId: '11111111-2222-4333-8444-555555555555', at: Date.now()}})
    const report = await open(dir).recover()
    expect(report.completedResets).toEqual(['agent:main:main'])
    const fresh = open(dir)
    expect(await fresh.get('agent:main:main')).toMatchObject({sessionId: '11111111-2222-4333-8444-555555555555', previousSessionId: entry.sessionId, resetReason: 'new'})
    const names = readdirSync(dir)
    expect(names.filter((n) => n.endsWith('.jsonl'))).toEqual(['11111111-2222-4333-8444-555555555555.jsonl'])
    expect(names.some((n) => n.startsWith(`${entry.sessionFile}.reset.`))).toBe(true)
  })

  it('a restart keeps the sessionId (no silent swap)', async () => {
    const dir = freshDir()
    const {entry} = await open(dir).ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    const store = open(dir)
    await store.recover()
    expect((await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})).entry.sessionId).toBe(entry.sessionId)
  })

  it('sees index changes written by another process (another store instance)', async () => {
    const dir = freshDir()
    const a = open(dir)
    const b = open(dir)
    await a.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    expect(await b.get('agent:main:main')).toBeDefined()
    await b.patch('agent:main:main', {label: 'from b'})
    await a.patch('agent:main:main', {thinkingLevel: 'low'})
    expect(await b.get('agent:main:main')).toMatchObject({label: 'from b', thinkingLevel: 'low'})
  })
})
