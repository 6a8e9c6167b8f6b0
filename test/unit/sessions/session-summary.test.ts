import {describe, expect, it} from 'vitest'

import {summarizeSessions} from '../../../src/runtime/sessions/session-summary.js'

const rows = (...pairs: Array<[string, number]>) => pairs.map(([key, updatedAt]) => ({key, updatedAt}))

describe('summarizeSessions', () => {
  it.each([
    {name: 'no agents', agents: [], limit: 5, count: 0, recent: [], perAgent: []},
    {
      name: 'counts sum, unreadable stores count as nothing, recents newest first across agents',
      agents: [
        {agentId: 'main', count: 3, rows: rows(['a', 10], ['b', 30], ['c', 20])},
        {agentId: 'ops', count: null, rows: []},
        {agentId: 'work', count: 2, rows: rows(['d', 25])},
      ],
      limit: 3,
      count: 5,
      recent: [{agentId: 'main', key: 'b', updatedAt: 30}, {agentId: 'work', key: 'd', updatedAt: 25}, {agentId: 'main', key: 'c', updatedAt: 20}],
      perAgent: [{agentId: 'main', count: 3, keys: ['b', 'c', 'a']}, {agentId: 'ops', count: null, keys: []}, {agentId: 'work', count: 2, keys: ['d']}],
    },
    {
      name: 'per-agent recents are capped at the limit',
      agents: [{agentId: 'main', count: 4, rows: rows(['a', 1], ['b', 2], ['c', 3], ['d', 4])}],
      limit: 2,
      count: 4,
      recent: [{agentId: 'main', key: 'd', updatedAt: 4}, {agentId: 'main', key: 'c', updatedAt: 3}],
      perAgent: [{agentId: 'main', count: 4, keys: ['d', 'c']}],
    },
  ])('$name', ({agents, limit, count, recent, perAgent}) => {
    const summary = summarizeSessions(agents, limit)
    expect(summary.count).toBe(count)
    expect(summary.recent).toEqual(recent)
    expect(summary.agents.map((a) => ({agentId: a.agentId, count: a.count, keys: a.recent.map((r) => r.key)}))).toEqual(perAgent)
  })
})
