import {describe, expect, it} from 'vitest'

import {canonicalLegacyKey} from '../../../src/runtime/doctor/migrations/session-keys.js'
import {planSessions} from '../../../src/runtime/doctor/migrations/legacy-sessions.js'

describe('canonicalLegacyKey', () => {
  const cases: Array<[string, string, Record<string, unknown>, string | null]> = [
    ['the main session', 'main', {}, 'agent:main:main'],
    ['an upper-case key is lower-cased', 'Telegram:DM:42', {}, 'agent:main:telegram:dm:42'],
    ['a current key stays', 'agent:work:main', {}, 'agent:work:main'],
    ['a group takes the entry channel', 'group:-100123', {channel: 'telegram'}, 'agent:main:telegram:group:-100123'],
    ['a group falls back to lastChannel', 'group:-100123', {lastChannel: 'Telegram'}, 'agent:main:telegram:group:-100123'],
    ['a group without a channel is kept', 'group:-100999', {}, null],
    ['an empty channel does not count', 'group:-1', {channel: ''}, null],
    ['an empty key is kept', ' ', {}, null],
  ]
  it.each(cases)('%s', (_name, key, entry, expected) => {
    expect(canonicalLegacyKey(key, 'main', entry)).toBe(expected)
  })
})

describe('planSessions', () => {
  it('keeps the newer entry on a collision and the other under :legacy-1, and repoints sessionFile', () => {
    const plan = planSessions(
      {main: {sessionId: 'old', updatedAt: 5, sessionFile: '/s/sessions/old.jsonl'}, 'group:x': {sessionId: 'g'}},
      {'agent:main:main': {sessionId: 'cur', updatedAt: 3}},
      'main',
      '/s/sessions',
      '/s/agents/main/sessions',
    )
    expect(plan.index['agent:main:main']).toEqual({sessionId: 'old', updatedAt: 5, sessionFile: '/s/agents/main/sessions/old.jsonl'})
    expect(plan.index['agent:main:main:legacy-1']).toEqual({sessionId: 'cur', updatedAt: 3})
    expect(plan.index['group:x']).toEqual({sessionId: 'g'})
    expect(plan.kept).toEqual(['group:x'])
    expect(plan.renamed).toEqual([['main', 'agent:main:main']])
  })
})
