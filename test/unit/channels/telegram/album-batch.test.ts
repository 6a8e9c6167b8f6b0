import {describe, expect, it} from 'vitest'

import {planBatch} from '../../../../src/runtime/channels/telegram/album-batch.js'

const msg = (id: number, chat = 1, group?: string) => ({update_id: id, message: {chat: {id: chat}, ...(group === undefined ? {} : {media_group_id: group})}})
const NOW = 10_000
/** Units as `first+part+part`, and the hold. */
const plan = (updates: ReturnType<typeof msg>[], seen: Record<number, number> = {}) => {
  const result = planBatch(updates, new Map(Object.entries(seen).map(([id, at]) => [Number(id), at])), NOW)
  return {units: result.units.map((u) => [u.update, ...u.parts].map((p) => p.update_id).join('+')), holdUntil: result.holdUntil}
}

interface Case {name: string; updates: Array<ReturnType<typeof msg>>; seen: Record<number, number>; units: string[]; holdUntil: number | null}

describe('planBatch (albums become one unit; one that may still grow holds the batch)', () => {
  it.each<Case>([
    {name: 'no albums: one unit per update, nothing held', updates: [msg(1), msg(2, 2)], seen: {}, units: ['1', '2'], holdUntil: null},
    {name: 'a fresh album holds from its first part on; what came before goes now', updates: [msg(1), msg(2, 1, 'g'), msg(3, 1, 'g'), msg(4, 2)], seen: {}, units: ['1'], holdUntil: NOW + 500},
    {name: 'quiet for 500 ms since its last part: one unit with every part', updates: [msg(2, 1, 'g'), msg(3, 1, 'g'), msg(4, 2)], seen: {2: NOW - 900, 3: NOW - 500, 4: NOW - 100}, units: ['2+3', '4'], holdUntil: null},
    {name: 'a part seen 200 ms ago keeps it open until 500 ms after that part', updates: [msg(2, 1, 'g'), msg(3, 1, 'g')], seen: {2: NOW - 900, 3: NOW - 200}, units: [], holdUntil: NOW + 300},
    {name: 'ten parts: complete at once', updates: Array.from({length: 10}, (_, i) => msg(i + 1, 1, 'g')), seen: {}, units: ['1+2+3+4+5+6+7+8+9+10'], holdUntil: null},
    {name: 'never held longer than 5 s after its first part', updates: [msg(2, 1, 'g'), msg(3, 1, 'g')], seen: {2: NOW - 5000, 3: NOW - 10}, units: ['2+3'], holdUntil: null},
    {name: 'the same group id in two chats is two albums', updates: [msg(1, 1, 'g'), msg(2, 2, 'g')], seen: {1: 0, 2: 0}, units: ['1', '2'], holdUntil: null},
    {name: 'a complete album reaching past a held one waits with it', updates: [msg(1, 1, 'a'), msg(2, 2, 'b'), msg(3, 1, 'a')], seen: {1: 0, 2: NOW, 3: 0}, units: [], holdUntil: NOW + 500},
  ])('$name', ({updates, seen, units, holdUntil}) => {
    expect(plan(updates, seen)).toEqual({units, holdUntil})
  })
})
