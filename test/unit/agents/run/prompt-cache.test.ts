// The runner's memo of system prompt inputs: a workspace file changed on disk (edited in place with
// the same length, replaced, deleted, created) is seen by the very next turn.
import {chmodSync, mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {PromptCache} from '../../../../src/runtime/agents/run/prompt-cache.js'
import {formatHostTime, formatPromptTime} from '../../../../src/runtime/agents/run/prompt-time.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'oc-prompt-cache-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('PromptCache.bootstrap', () => {
  it('sees every change to a bootstrap file on the next read', () => {
    const ws = mkdtempSync(path.join(root, 'ws-'))
    const cache = new PromptCache()
    expect(cache.bootstrap(ws).size).toBe(0)
    writeFileSync(path.join(ws, 'AGENTS.md'), '\uFEFFrule one')
    expect(cache.bootstrap(ws).get('AGENTS.md')).toBe('rule one')
    // Same length, same directory entry: only mtime/ctime tell.
    writeFileSync(path.join(ws, 'AGENTS.md'), 'rule two')
    expect(cache.bootstrap(ws).get('AGENTS.md')).toBe('rule two')
    // Replaced by rename (how editors save).
    writeFileSync(path.join(ws, 'next.tmp'), 'rule 3!!')
    renameSync(path.join(ws, 'next.tmp'), path.join(ws, 'AGENTS.md'))
    expect(cache.bootstrap(ws).get('AGENTS.md')).toBe('rule 3!!')
    writeFileSync(path.join(ws, 'SOUL.md'), 'calm')
    expect([...cache.bootstrap(ws).keys()]).toEqual(['AGENTS.md', 'SOUL.md'])
    unlinkSync(path.join(ws, 'AGENTS.md'))
    expect([...cache.bootstrap(ws).keys()]).toEqual(['SOUL.md'])
  })

  it('a settled workspace (old directory mtime): a file created later, or made readable, is seen on the next read', () => {
    const ws = mkdtempSync(path.join(root, 'ws-'))
    writeFileSync(path.join(ws, 'USER.md'), 'secret')
    chmodSync(path.join(ws, 'USER.md'), 0o000)
    const past = new Date(Date.now() - 60_000)
    utimesSync(ws, past, past)
    const cache = new PromptCache()
    const readable = cache.bootstrap(ws).has('USER.md') // root reads a mode-000 file
    expect(cache.bootstrap(ws).size).toBe(readable ? 1 : 0)
    chmodSync(path.join(ws, 'USER.md'), 0o600)
    expect(cache.bootstrap(ws).get('USER.md')).toBe('secret')
    writeFileSync(path.join(ws, 'TOOLS.md'), 'use ls')
    expect(cache.bootstrap(ws).get('TOOLS.md')).toBe('use ls')
    utimesSync(ws, past, past)
    unlinkSync(path.join(ws, 'TOOLS.md'))
    expect(cache.bootstrap(ws).has('TOOLS.md')).toBe(false)
  })

  it('keeps workspaces apart', () => {
    const a = mkdtempSync(path.join(root, 'ws-'))
    const b = mkdtempSync(path.join(root, 'ws-'))
    writeFileSync(path.join(a, 'USER.md'), 'alice')
    writeFileSync(path.join(b, 'USER.md'), 'bob')
    const cache = new PromptCache()
    expect(cache.bootstrap(a).get('USER.md')).toBe('alice')
    expect(cache.bootstrap(b).get('USER.md')).toBe('bob')
    expect(cache.bootstrap(a).get('USER.md')).toBe('alice')
  })
})

describe('PromptCache.formatNow', () => {
  it.each([
    ['UTC', '2026-12-04T21:05:10Z', 'Friday, 4 December 2026 at 21:05 UTC'],
    ['Europe/Berlin', '2026-12-04T21:05:10Z', 'Friday, 4 December 2026 at 22:05 CET'],
    ['Not/AZone', '2026-12-04T21:05:10Z', formatHostTime(new Date('2026-12-04T21:05:10Z'))],
  ])('%s: %s -> %s (and the same as the uncached formatter)', (zone, at, text) => {
    const cache = new PromptCache()
    expect(cache.formatNow(new Date(at), zone)).toBe(text)
    expect(formatPromptTime(new Date(at), zone)).toBe(text)
  })

  it('a new minute or another zone gives a new text', () => {
    const cache = new PromptCache()
    expect(cache.formatNow(new Date('2026-12-04T21:05:10Z'), 'UTC')).toContain('21:05')
    expect(cache.formatNow(new Date('2026-12-04T21:05:50Z'), 'UTC')).toContain('21:05')
    expect(cache.formatNow(new Date('2026-12-04T21:06:00Z'), 'UTC')).toContain('21:06')
    expect(cache.formatNow(new Date('2026-12-04T21:06:00Z'), 'Asia/Tokyo')).toContain('06:06')
  })
})
