import {describe, expect, it} from 'vitest'

import {findCutPoint} from '../../../../src/runtime/agents/context/cut-point.js'
import {cutToolResults, IMAGE_DROPPED_NOTE, omittedNote, trimHistory} from '../../../../src/runtime/agents/context/history-trim.js'
import {requestTokens} from '../../../../src/runtime/agents/context/estimate.js'
import {leftOutNote, renderConversation, summaryRequestMessage} from '../../../../src/runtime/agents/context/summary-request.js'
import type {ConversationMessage} from '../../../../src/runtime/models/messages.js'
import {assistant, call, ids, image, result, user} from './fixtures.js'

const big = 'z'.repeat(2500)
const textOf = (message: ConversationMessage): string => message.content.map((part) => (part.type === 'text' ? part.text : `<${part.type}>`)).join('|')

describe('stage 1: trimHistory (request only)', () => {
  it.each([
    ['a big tool result older than the last two user turns becomes the omitted note', [user('u1'), call('a'), result('a', big), assistant('x'), user('u2'), user('u3')], 2, omittedNote(2500)],
    ['a big tool result within the last two user turns stays', [user('u1'), user('u2'), call('a'), result('a', big), user('u3')], 3, big],
    ['a small old tool result stays', [user('u1'), call('a'), result('a', 'small'), user('u2'), user('u3')], 2, 'small'],
    ['an image older than the last user turn is dropped', [image('look'), assistant('seen'), user('now')], 0, `look|${IMAGE_DROPPED_NOTE}`],
    ['the image of the last user turn stays', [user('a'), image('look')], 1, '<image>|look'],
    ['with one user turn, a big tool result before it stays', [call('a'), result('a', big), user('u1')], 1, big],
    ['with no user turn, every big tool result is old', [call('a'), result('a', big), assistant('x')], 1, omittedNote(2500)],
    ['a message after the last user turn is never trimmed', [user('u1'), user('u2'), user('u3'), call('a'), result('a', big)], 4, big],
  ])('%s', (_name, messages, index, expected) => {
    const trimmed = trimHistory(messages)
    expect(textOf(trimmed[index])).toBe(expected)
    expect(trimmed).toHaveLength(messages.length)
  })

  it('never changes its input', () => {
    const messages = [user('u1'), call('a'), result('a', big), user('u2'), user('u3')]
    trimHistory(messages)
    expect(textOf(messages[2])).toBe(big)
  })
})

describe('cutToolResults (the last resort)', () => {
  it('cuts the oldest big results to 2000 chars until the request fits', () => {
    const messages = [user('u'), call('a'), result('a', big), call('b'), result('b', big)]
    const out = cutToolResults(messages, (m) => requestTokens(m, 0) < 1200)
    expect(out.fits).toBe(true)
    expect(textOf(out.messages[2])).toMatch(/^z{2000}\n\[… cut to 2000 of 2500 chars\]$/)
    expect(textOf(out.messages[4])).toBe(big)
  })
  it('reports when even that does not fit', () => {
    expect(cutToolResults([user('y'.repeat(10_000))], (m) => requestTokens(m, 0) < 100).fits).toBe(false)
  })
})

describe('findCutPoint (stage 2)', () => {
  const turn = (n: number, size: number): ConversationMessage[] => [user(`q${n}${'.'.repeat(size)}`), assistant(`a${n}`)]
  it.each([
    // each turn is ~100 tokens (400 chars)
    ['keeps the longest tail of whole user turns within keepRecent', [...turn(1, 400), ...turn(2, 400), ...turn(3, 400), ...turn(4, 400)], 250, 4],
    ['keeps at least the last user turn even when it is larger', [...turn(1, 400), ...turn(2, 4000)], 100, 2],
    ['never cuts between a tool call and its result', [user('u1'), call('a'), result('a', 'x'.repeat(800)), user('u2'), call('b'), result('b', 'x'.repeat(800)), assistant('done')], 300, 3],
    ['one long tool loop: cuts at an assistant message', [user('u1'), call('a'), result('a', big), call('b'), result('b', big), call('c'), result('c', 'ok')], 100, 5],
  ])('%s', (_name, messages, keep, index) => {
    expect(findCutPoint(messages, ids(messages), keep)).toEqual({index, entryId: `e${index}`})
  })

  it('a lone message or a summary-only head cannot be cut; the summary (no id) never starts the tail', () => {
    expect(findCutPoint([user('only')], ['e0'], 10)).toBeNull()
    const messages = [user('[Summary of the earlier conversation]\n…'), user('q'), assistant('a')]
    expect(findCutPoint(messages, [null, 'e1', 'e2'], 0)).toEqual({index: 1, entryId: 'e1'})
  })

  it('the correction ratio scales what fits', () => {
    const messages = [...turn(1, 400), ...turn(2, 400), ...turn(3, 400)]
    expect(findCutPoint(messages, ids(messages), 220)?.index).toBe(2)
    expect(findCutPoint(messages, ids(messages), 220, 2)?.index).toBe(4)
  })
})

describe('the summary request', () => {
  it('renders users, assistants, tool calls and clipped results as lines', () => {
    expect(renderConversation([user('hi'), call('a'), result('a', big), assistant('done')])).toEqual([
      'User: hi',
      'Assistant called read {"path":"a.txt"}',
      `Result of read: ${'z'.repeat(2000)} [… 2500 chars in total]`,
      'Assistant: done',
    ])
  })
  it('carries the previous summary and leaves out the oldest lines beyond maxChars', () => {
    const message = summaryRequestMessage({previousSummary: 'PREV', older: [user('a'.repeat(500)), user('recent')], maxChars: 400, now: 1})
    const text = textOf(message)
    expect(text).toContain('<previous-summary>\nPREV\n</previous-summary>')
    expect(text).toContain(`${leftOutNote(507)}\nUser: recent`)
    expect(text).not.toContain('a'.repeat(500))
  })
})
