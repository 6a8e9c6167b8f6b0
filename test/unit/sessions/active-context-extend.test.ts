// Extending a built context by the lines appended since gives exactly what a full rebuild gives,
// or null (rebuild) where it cannot: checked after every line of several transcripts.
import {describe, expect, it} from 'vitest'

import {buildActiveContext, extendActiveContext} from '../../../src/runtime/sessions/active-context.js'
import type {TranscriptLine} from '../../../src/runtime/sessions/store.js'

type Line = TranscriptLine & Record<string, unknown>
let n = 0
const ts = new Date(0).toISOString()
const chain = (specs: Array<Record<string, unknown>>): Line[] => {
  const out: Line[] = []
  for (const spec of specs) {
    const parentId = 'parentId' in spec ? spec.parentId : (out.at(-1)?.id ?? null)
    out.push({id: `l${++n}`, timestamp: ts, ...spec, parentId} as unknown as Line)
  }
  return out
}
const user = (text: string) => ({type: 'message', message: {role: 'user', content: [{type: 'text', text}], timestamp: 1}})
const assistant = (text: string, calls: string[] = []) => ({type: 'message', message: {role: 'assistant', content: [{type: 'text', text}, ...calls.map((id) => ({type: 'toolCall', id, name: 'ls', arguments: {}}))], api: 'x', provider: 'p', model: 'm', usage: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}, stopReason: calls.length > 0 ? 'toolUse' : 'stop'}})
const result = (id: string) => ({type: 'message', message: {role: 'toolResult', toolCallId: id, toolName: 'ls', content: [{type: 'text', text: 'ok'}], isError: false, timestamp: 1}})
const custom = {type: 'custom', customType: 'openclaw.delivery', data: {}}

const transcripts: Array<[string, Array<Record<string, unknown>>]> = [
  ['plain turns with custom markers', [user('a'), assistant('b'), custom, user('c'), custom, assistant('d'), user('e')]],
  ['tool calls, a dangling one, then more turns', [user('a'), assistant('b', ['c1', 'c2']), result('c1'), result('c2'), assistant('done'), user('x'), assistant('y', ['c3']), user('after crash'), assistant('z')]],
  ['a compaction on the path', [user('a'), assistant('b'), user('c'), {type: 'compaction', summary: 'S', firstKeptEntryId: 'KEEP', tokensBefore: 10}, user('d'), assistant('e')]],
  ['a branch back to an earlier line', [user('a'), assistant('b'), user('c'), {...user('again'), parentId: 'FIRST'}, assistant('f')]],
  ['an upstream custom_message', [user('a'), {type: 'custom_message', content: 'note'}, assistant('b'), user('c')]],
]

describe('extendActiveContext', () => {
  it.each(transcripts)('%s: after every appended line, equal to a rebuild (or null)', (_name, specs) => {
    const lines = chain(specs)
    // Resolve placeholder ids to real ones of this run.
    for (const line of lines) {
      if (line.parentId === 'FIRST') line.parentId = lines[0].id
      if (line.type === 'compaction') line.firstKeptEntryId = lines[2].id
    }
    let built = buildActiveContext([])
    let extendedSome = false
    for (let i = 1; i <= lines.length; i++) {
      const expected = buildActiveContext(lines.slice(0, i))
      const extended = extendActiveContext(built, lines.slice(i - 1, i))
      if (extended !== null) {
        extendedSome = true
        expect(extended).toEqual(expected)
      }
      built = extended ?? expected
    }
    expect(extendedSome).toBe(true)
  })

  it('refuses what a rebuild must decide: tool calls and results, compactions, lines off the leaf', () => {
    const base = chain([user('a'), assistant('b')])
    const context = buildActiveContext(base)
    expect(extendActiveContext(context, chain([{...assistant('x', ['c9']), parentId: base[1].id}]))).toBeNull()
    expect(extendActiveContext(context, chain([{...result('c9'), parentId: base[1].id}]))).toBeNull()
    expect(extendActiveContext(context, chain([{type: 'compaction', summary: 's', firstKeptEntryId: base[0].id, parentId: base[1].id}]))).toBeNull()
    expect(extendActiveContext(context, chain([{...user('off'), parentId: base[0].id}]))).toBeNull()
    // A context ending in a synthetic result (dangling call) is never extended.
    const dangling = buildActiveContext(chain([user('a'), assistant('b', ['c1'])]))
    expect(dangling.entryIds?.at(-1)).toBeNull()
    expect(extendActiveContext(dangling, [])).toBeNull()
  })
})
