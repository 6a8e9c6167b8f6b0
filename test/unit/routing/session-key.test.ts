import {describe, expect, it} from 'vitest'

import {agentIdOfSessionKey, buildSessionKey, canonicalSessionKey, normalizeAccountId, normalizeAgentId, type SessionKeySettings} from '../../../src/runtime/routing/index.js'

const base: SessionKeySettings = {scope: 'per-sender', dmScope: 'main', mainKey: 'main', identityLinks: {alice: ['telegram:123', 'discord:456'], Bob: ['777']}}
const dm = (channel: string, id: string) => ({agentId: 'main', channel, accountId: 'default', peer: {kind: 'direct' as const, id}})

describe('buildSessionKey (runtime.md §4)', () => {
  const cases: Array<[string, Partial<SessionKeySettings>, Parameters<typeof buildSessionKey>[0], string]> = [
    ['dmScope main shares one DM session', {}, dm('telegram', '123'), 'agent:main:main'],
    ['custom mainKey', {mainKey: 'Home'}, dm('telegram', '5'), 'agent:main:home'],
    ['per-peer', {dmScope: 'per-peer'}, dm('telegram', '5'), 'agent:main:direct:5'],
    ['per-channel-peer', {dmScope: 'per-channel-peer'}, dm('telegram', '5'), 'agent:main:telegram:direct:5'],
    ['per-account-channel-peer', {dmScope: 'per-account-channel-peer'}, {...dm('telegram', '5'), accountId: 'WorkBot'}, 'agent:main:telegram:workbot:direct:5'],
    ['identity link by channel:peer, per-peer', {dmScope: 'per-peer'}, dm('telegram', '123'), 'agent:main:direct:alice'],
    ['identity link across channels, per-peer', {dmScope: 'per-peer'}, dm('discord', '456'), 'agent:main:direct:alice'],
    ['identity link still follows dmScope', {dmScope: 'per-channel-peer'}, dm('discord', '456'), 'agent:main:discord:direct:alice'],
    ['bare peer link, sanitized name', {dmScope: 'per-peer'}, dm('slack', '777'), 'agent:main:direct:bob'],
    ['links ignored with dmScope main', {}, dm('telegram', '123'), 'agent:main:main'],
    ['group', {}, {agentId: 'Work', channel: 'telegram', accountId: 'default', peer: {kind: 'group', id: '-100'}}, 'agent:work:telegram:group:-100'],
    ['forum topic', {}, {agentId: 'work', channel: 'telegram', accountId: 'default', peer: {kind: 'group', id: '-100:topic:3'}}, 'agent:work:telegram:group:-100:topic:3'],
    ['channel-kind peer', {}, {agentId: 'work', channel: 'discord', accountId: 'default', peer: {kind: 'channel', id: '555'}}, 'agent:work:discord:channel:555'],
    ['global scope', {scope: 'global'}, dm('telegram', '1'), 'global'],
  ]
  it.each(cases)('%s', (_name, settings, input, expected) => {
    expect(buildSessionKey(input, {...base, ...settings})).toBe(expected)
  })
})

describe('canonicalSessionKey', () => {
  it.each([
    ['main', 'work', 'agent:work:main'],
    ['telegram:direct:123', 'main', 'agent:main:telegram:direct:123'],
    [' Agent:Home:Main ', 'main', 'agent:home:main'],
    ['GLOBAL', 'main', 'global'],
  ])('%s (agent %s) → %s', (key, agentId, expected) => {
    expect(canonicalSessionKey(key, agentId)).toBe(expected)
  })

  it('reads the agent id back', () => {
    expect(agentIdOfSessionKey('agent:work:telegram:direct:1')).toBe('work')
    expect(agentIdOfSessionKey('global')).toBeUndefined()
  })
})

describe('id normalization (§3.1)', () => {
  it.each([
    ['  Work Bot!! ', 'work-bot'],
    ['--x--', 'x'],
    ['', 'main'],
    ['a'.repeat(70), 'a'.repeat(64)],
  ])('agent %j → %j', (input, expected) => {
    expect(normalizeAgentId(input)).toBe(expected)
  })
  it('empty account is default', () => {
    expect(normalizeAccountId('  ')).toBe('default')
  })
})
