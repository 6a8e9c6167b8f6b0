import {describe, expect, it} from 'vitest'

import {COLLECT_HEADER, droppedNote, enqueue, planTurns, type QueuedMessage} from '../../../../src/runtime/agents/run/queue-plan.js'

const AT = Date.UTC(2026, 2, 7, 14, 2)

function msg(runId: string, text: string, target = 'telegram:default:u:1', senderName = 'Alice'): QueuedMessage {
  return {runId, text, senderName, at: AT, target, dedupeKeys: [`k-${runId}`]}
}

describe('enqueue', () => {
  it.each([
    {name: 'under the cap keeps all', queue: ['a', 'b'], cap: 20, kept: ['a', 'b', 'n'], dropped: []},
    {name: 'at the cap drops the oldest', queue: ['a', 'b'], cap: 2, kept: ['b', 'n'], dropped: ['a']},
    {name: 'cap 1 keeps only the newest', queue: ['a', 'b', 'c'], cap: 1, kept: ['n'], dropped: ['a', 'b', 'c']},
  ])('$name', ({queue, cap, kept, dropped}) => {
    const result = enqueue(queue.map((id) => msg(id, id)), msg('n', 'n'), cap)
    expect(result.queue.map((m) => m.runId)).toEqual(kept)
    expect(result.dropped.map((m) => m.runId)).toEqual(dropped)
  })
})

describe('planTurns', () => {
  it.each([
    {name: 'collect, one target: one turn', mode: 'collect' as const, queue: [msg('1', 'x'), msg('2', 'y')], turns: [['1', '2']]},
    {name: 'collect, two targets drain separately in arrival order', mode: 'collect' as const, queue: [msg('1', 'x', 'B'), msg('2', 'y', 'A'), msg('3', 'z', 'B')], turns: [['1', '3'], ['2']]},
    {name: 'followup: one turn each', mode: 'followup' as const, queue: [msg('1', 'x'), msg('2', 'y')], turns: [['1'], ['2']]},
    {name: 'steer leftovers become followups', mode: 'steer' as const, queue: [msg('1', 'x'), msg('2', 'y')], turns: [['1'], ['2']]},
    {name: 'empty queue: no turn', mode: 'collect' as const, queue: [], turns: []},
  ])('$name', ({mode, queue, turns}) => {
    expect(planTurns(queue, mode).map((turn) => turn.members.map((m) => m.runId))).toEqual(turns)
  })

  it('writes the collected text with per-message headers', () => {
    const [turn] = planTurns([msg('1', 'first'), msg('2', 'second', undefined, 'Bob')], 'collect', [], 'UTC')
    expect(turn.text).toBe(`${COLLECT_HEADER}\n--- #1 · Alice · 14:02\nfirst\n--- #2 · Bob · 14:02\nsecond`)
  })

  it('keeps a single collected message as it is', () => {
    expect(planTurns([msg('1', 'only')], 'collect')[0].text).toBe('only')
  })

  it('puts the dropped note in front of the first turn only', () => {
    const turns = planTurns([msg('1', 'x', 'A'), msg('2', 'y', 'B')], 'collect', [msg('0', 'old news')])
    expect(turns[0].text).toBe('[1 earlier message was dropped: - Alice: old news]\nx')
    expect(turns[1].text).toBe('y')
  })
})

describe('droppedNote', () => {
  it.each([
    {dropped: [], note: ''},
    {dropped: [msg('1', 'a'.repeat(100)), msg('2', 'hi', 'T', '')], note: `[2 earlier messages were dropped: - Alice: ${'a'.repeat(80)}… - you: hi]`},
  ])('$note', ({dropped, note}) => {
    expect(droppedNote(dropped)).toBe(note)
  })
})
