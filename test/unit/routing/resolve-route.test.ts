import {describe, expect, it} from 'vitest'

import type {Config} from '../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'
import {resolveRoute, type RouteInput} from '../../../src/runtime/routing/index.js'

/** The §3.4 setup, parsed by the real schema so the frozen Config shape is what routing reads. */
function workedConfig(dmScope: string, extra: Record<string, unknown> = {}): Config {
  const {config, issues} = validateConfigTree({
    agents: {list: [{id: 'main', default: true}, {id: 'work'}, {id: 'family'}, {id: 'ops'}]},
    session: {dmScope},
    bindings: [
      {agentId: 'family', match: {channel: 'telegram', peer: {kind: 'group', id: '-1001111'}}},
      {agentId: 'work', match: {channel: 'telegram', accountId: 'workbot'}},
      {agentId: 'work', match: {channel: 'telegram', accountId: '*', peer: {kind: 'direct', id: '42'}}},
      {agentId: 'main', match: {channel: 'telegram', accountId: 'workbot', peer: {kind: 'direct', id: '99'}}},
      {agentId: 'ops', match: {channel: 'discord', guildId: '777'}},
      {agentId: 'family', match: {channel: 'slack', accountId: '*'}},
    ],
    ...extra,
  })
  if (config === null) throw new Error(JSON.stringify(issues))
  return config
}

const tg = (accountId: string, kind: string, id: string, parent?: string): RouteInput => ({
  channel: 'telegram',
  accountId,
  peer: {kind, id},
  ...(parent === undefined ? {} : {parentPeer: {kind: 'group', id: parent}}),
})

const examples: Array<[string, RouteInput, string, string, string, number | undefined]> = [
  ['#1 group bound by peer (B0)', tg('default', 'group', '-1001111'), 'family', 'peer', 'agent:family:telegram:group:-1001111', 0],
  ['#2 topic inherits its chat binding', tg('default', 'group', '-1001111:topic:5', '-1001111'), 'family', 'peer.parent', 'agent:family:telegram:group:-1001111:topic:5', 0],
  ['#3 B0 is default-account only, B1 matches workbot', tg('workbot', 'group', '-1001111'), 'work', 'account', 'agent:work:telegram:group:-1001111', 1],
  ['#4 peer tier beats account tier', tg('workbot', 'direct', '42'), 'work', 'peer', 'agent:work:telegram:direct:42', 2],
  ['#5 "*" account peer binding, same session as #4', tg('default', 'direct', '42'), 'work', 'peer', 'agent:work:telegram:direct:42', 2],
  ['#6 B3 beats B1', tg('workbot', 'direct', '99'), 'main', 'peer', 'agent:main:telegram:direct:99', 3],
  ['#7 nothing matches: default agent', tg('default', 'direct', '7'), 'main', 'default', 'agent:main:telegram:direct:7', undefined],
  ['#8 B1 is workbot only', tg('personal', 'direct', '7'), 'main', 'default', 'agent:main:telegram:direct:7', undefined],
  ['#9 B0 needs the default account', tg('personal', 'group', '-1001111'), 'main', 'default', 'agent:main:telegram:group:-1001111', undefined],
  ['#10 guild tier', {channel: 'discord', accountId: 'default', peer: {kind: 'channel', id: '555'}, guildId: '777'}, 'ops', 'guild', 'agent:ops:discord:channel:555', 4],
  ['#11 channel tier, keys lower-cased', {channel: 'slack', accountId: 'acme', peer: {kind: 'direct', id: 'U1'}}, 'family', 'channel', 'agent:family:slack:direct:u1', 5],
]

describe('resolveRoute: runtime.md §3.4 worked examples', () => {
  const config = workedConfig('per-channel-peer')
  it.each(examples)('%s', (_name, input, agentId, matchedBy, sessionKey, bindingIndex) => {
    const route = resolveRoute(config, input)
    expect(route).toMatchObject({agentId, matchedBy, sessionKey, lastRoutePolicy: 'session'})
    expect(route.bindingIndex).toBe(bindingIndex)
  })

  it('#12 #7 with dmScope "main": DMs collapse into the main session', () => {
    const route = resolveRoute(workedConfig('main'), tg('default', 'direct', '7'))
    expect(route).toMatchObject({agentId: 'main', matchedBy: 'default', sessionKey: 'agent:main:main', mainSessionKey: 'agent:main:main', lastRoutePolicy: 'main'})
  })

  it('per-account-channel-peer splits #4 and #5', () => {
    const config2 = workedConfig('per-account-channel-peer')
    expect(resolveRoute(config2, tg('workbot', 'direct', '42')).sessionKey).toBe('agent:work:telegram:workbot:direct:42')
    expect(resolveRoute(config2, tg('default', 'direct', '42')).sessionKey).toBe('agent:work:telegram:default:direct:42')
  })
})

describe('resolveRoute: normalization and special cases', () => {
  it('normalizes channel, account and legacy dm peer kind', () => {
    const route = resolveRoute(workedConfig('per-channel-peer'), {channel: ' Telegram ', accountId: ' WorkBot ', peer: {kind: 'dm', id: ' 42 '}})
    expect(route).toMatchObject({channel: 'telegram', accountId: 'workbot', agentId: 'work', matchedBy: 'peer', sessionKey: 'agent:work:telegram:direct:42'})
  })

  it('an empty agents.list routes to the implicit main agent', () => {
    const {config} = validateConfigTree({})
    expect(resolveRoute(config!, tg('default', 'direct', '1'))).toMatchObject({agentId: 'main', sessionKey: 'agent:main:main'})
  })

  it('without a default flag the first agent is the default', () => {
    const {config} = validateConfigTree({agents: {list: [{id: 'home'}, {id: 'work'}]}})
    expect(resolveRoute(config!, tg('default', 'direct', '1')).agentId).toBe('home')
  })

  it('a Telegram topic agentId acts as a peer binding ahead of configured bindings', () => {
    const config = workedConfig('per-channel-peer', {channels: {telegram: {groups: {'-1001111': {topics: {'5': {agentId: 'ops'}}}}}}})
    expect(resolveRoute(config, tg('default', 'group', '-1001111:topic:5', '-1001111'))).toMatchObject({agentId: 'ops', matchedBy: 'peer'})
    expect(resolveRoute(config, tg('default', 'group', '-1001111:topic:6', '-1001111')).agentId).toBe('family')
  })

  it('defaultAccount moves which account an omitted accountId matches', () => {
    const config = workedConfig('per-channel-peer', {channels: {telegram: {defaultAccount: 'personal', accounts: {personal: {}}}}})
    expect(resolveRoute(config, tg('personal', 'group', '-1001111')).agentId).toBe('family')
    expect(resolveRoute(config, tg('default', 'group', '-1001111')).agentId).toBe('main')
  })

  it('session.scope global gives one key for everything', () => {
    const config = workedConfig('per-channel-peer', {session: {scope: 'global', dmScope: 'per-peer'}})
    expect(resolveRoute(config, tg('workbot', 'direct', '42'))).toMatchObject({sessionKey: 'global', lastRoutePolicy: 'main'})
  })
})
