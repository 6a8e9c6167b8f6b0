// The runner's memo of system prompt inputs: a workspace file changed on disk (edited in place with
// the same length, replaced, deleted, created) is seen by the very next turn.
import {mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {PromptCache} from '../../../../src/runtime/agents/run/prompt-cache.js'
import {formatNow} from '../../../../src/runtime/agents/run/system-prompt.js'

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
    ['Not/AZone', '2026-12-04T21:05:10Z', '2026-12-04T21:05:10.000Z'],
  ])('%s: %s -> %s (and the same as the uncached formatter)', (zone, at, text) => {
    const cache = new PromptCache()
    expect(cache.formatNow(new Date(at), zone)).toBe(text)
    expect(formatNow(new Date(at), zone)).toBe(text)
  })

  it('a new minute or another zone gives a new text', () => {
    const cache = new PromptCache()
    expect(cache.formatNow(new Date('2026-12-04T21:05:10Z'), 'UTC')).toContain('21:05')
    expect(cache.formatNow(new Date('2026-12-04T21:05:50Z'), 'UTC')).toContain('21:05')
    expect(cache.formatNow(new Date('2026-12-04T21:06:00Z'), 'UTC')).toContain('21:06')
    expect(cache.formatNow(new Date('2026-12-04T21:06:00Z'), 'Asia/Tokyo')).toContain('06:06')
  })
})
