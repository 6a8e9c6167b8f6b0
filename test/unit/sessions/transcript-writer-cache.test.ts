import {describe, expect, it} from 'vitest'

import type {StoreBackend} from '../../../src/runtime/sessions/backend.js'
import {createMemoryBackend} from '../../../src/runtime/sessions/memory-backend.js'
import {CACHED_BYTES, CACHED_FILES, TranscriptWriter} from '../../../src/runtime/sessions/transcript-writer.js'

/** A memory backend that counts whole-file reads: a read means the writer's cached state was dropped. */
function countingBackend(): {backend: StoreBackend; reads: string[]} {
  const inner = createMemoryBackend()
  const reads: string[] = []
  return {reads, backend: {...inner, read: async (name) => (reads.push(name), inner.read(name))}}
}

const header = (id: string) => ({type: 'session' as const, version: 3, id, timestamp: '2026-12-04T00:00:00.000Z', cwd: '/'})
const say = (text: string) => ({type: 'message' as const, message: {role: 'user' as const, content: [{type: 'text' as const, text}], timestamp: 0}})

describe('TranscriptWriter parsed-file cache', () => {
  it('keeps a budget fit for a small board', () => {
    expect(CACHED_BYTES).toBeLessThanOrEqual(8 * 1024 * 1024)
  })

  it('drops the least recently used file once the cached bytes pass the budget, keeping the others', async () => {
    const {backend, reads} = countingBackend()
    const writer = new TranscriptWriter(backend, () => 0, {files: 64, bytes: 5000})
    for (const name of ['a.jsonl', 'b.jsonl', 'c.jsonl']) {
      await writer.create(name, header(name))
      await writer.append(name, say('x'.repeat(1500)), false, 'trusted')
    }
    // ~1.7 KB each: a, b and c do not all fit in 5000 bytes, so `a` (least recently used) was dropped.
    expect(writer.knows('a.jsonl')).toBe(false)
    expect(writer.knows('b.jsonl') && writer.knows('c.jsonl')).toBe(true)
    expect(reads).toEqual([])
    // Touching `a` re-reads it from the backend with every line intact, and evicts `b` in turn.
    const again = await writer.transcript('a.jsonl')
    expect(reads).toEqual(['a.jsonl'])
    expect(again.lines).toHaveLength(1)
    expect(writer.knows('b.jsonl')).toBe(false)
  })

  it('keeps one file even when it alone is over the budget', async () => {
    const {backend} = countingBackend()
    const writer = new TranscriptWriter(backend, () => 0, {files: 64, bytes: 100})
    await writer.create('big.jsonl', header('big'))
    await writer.append('big.jsonl', say('y'.repeat(1000)), false, 'trusted')
    expect(writer.knows('big.jsonl')).toBe(true)
  })

  it('keeps every session of a burst admitted before its run (500 new chats) without re-reading any', async () => {
    const {backend, reads} = countingBackend()
    const writer = new TranscriptWriter(backend, () => 0, {files: CACHED_FILES, bytes: CACHED_BYTES})
    const names = Array.from({length: 500}, (_, i) => `s${i}.jsonl`)
    for (const name of names) {
      await writer.create(name, header(name))
      await writer.append(name, say('hello'), true, 'trusted')
    }
    for (const name of names) await writer.append(name, say('re: hello'), false, 'trusted')
    expect(reads).toEqual([])
  })

  it('drops beyond the file count as well', async () => {
    const {backend} = countingBackend()
    const writer = new TranscriptWriter(backend, () => 0, {files: 2, bytes: 1_000_000})
    for (const name of ['a.jsonl', 'b.jsonl', 'c.jsonl']) await writer.create(name, header(name))
    expect(['a.jsonl', 'b.jsonl', 'c.jsonl'].map((n) => writer.knows(n))).toEqual([false, true, true])
  })
})
