import {describe, expect, it} from 'vitest'

import {GroupHistory, historyKey, HISTORY_LINE_MAX_CHARS, withHistory} from '../../../../src/runtime/channels/telegram/inbound/group-history.js'

const line = (name: string, text: string, at = 1000) => ({name, text, at})

describe('GroupHistory (telegram.md §7.4)', () => {
  it('keeps the last historyLimit lines per chat, hands them over once, then is empty', () => {
    const history = new GroupHistory()
    const key = historyKey('default', '-100')
    for (const n of [1, 2, 3, 4]) history.record(key, line('Ann', `m${n}`), 3)
    history.record(historyKey('default', '-100:topic:5'), line('Bob', 'in a topic'), 3)
    history.record(historyKey('work', '-100'), line('Cid', 'other account'), 3)
    expect(history.take(key, 2000).map((l) => l.text)).toEqual(['m2', 'm3', 'm4'])
    expect(history.take(key, 2000)).toEqual([])
    expect(history.take(historyKey('default', '-100:topic:5'), 2000).map((l) => l.text)).toEqual(['in a topic'])
  })

  it('historyLimit 0 keeps nothing; lines older than the age limit are dropped; long lines are cut', () => {
    const history = new GroupHistory({maxChats: 10, maxAgeMs: 1000})
    history.record('a', line('Ann', 'kept nowhere'), 0)
    expect(history.size()).toBe(0)
    history.record('a', line('Ann', 'old', 0), 5)
    history.record('a', line('Ann', 'x'.repeat(HISTORY_LINE_MAX_CHARS + 50), 1500), 5)
    const taken = history.take('a', 1800)
    expect(taken).toHaveLength(1)
    expect(taken[0].text).toHaveLength(HISTORY_LINE_MAX_CHARS + 1)
  })

  it('evicts the least recently used chat past maxChats', () => {
    const history = new GroupHistory({maxChats: 2, maxAgeMs: 1e9})
    history.record('a', line('Ann', '1'), 5)
    history.record('b', line('Bob', '2'), 5)
    history.record('a', line('Ann', '3'), 5)
    history.record('c', line('Cid', '4'), 5)
    expect(history.take('b', 0)).toEqual([])
    expect(history.take('a', 0).map((l) => l.text)).toEqual(['1', '3'])
  })

  it('renders the block above the current message, and nothing when empty', () => {
    expect(withHistory([line('Ann Lee', 'dinner at 7?'), line('Bob', '<media:image>')], '@bot what do you think?')).toBe('[Recent messages in this chat]\nAnn Lee: dinner at 7?\nBob: <media:image>\n\n@bot what do you think?')
    expect(withHistory([], 'hi')).toBe('hi')
  })
})
