import {describe, expect, it} from 'vitest'

import {attachmentImages, prepareAgentRun, thinkingLevel, type AgentRunParams} from '../../../../src/runtime/agents/run/agent-request.js'
import {resolveChannelTarget, targetOfEntry, targetOfSessionKey, telegramAccountIds} from '../../../../src/runtime/agents/run/delivery-target.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {isAppError} from '../../../../src/runtime/errors/app-error.js'
import {createMemorySessionStore, sessionStoresOf} from '../../../../src/runtime/sessions/open-store.js'
import type {SessionStore, SessionStores} from '../../../../src/runtime/sessions/store.js'

function config(tree: Record<string, unknown>): Config {
  const {config: valid, issues} = validateConfigTree({models: {mode: 'replace', providers: {fake: {baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', models: [{id: 'm', name: 'M'}]}}}, agents: {defaults: {model: 'fake/m'}}, ...tree})
  if (valid === null) throw new Error(JSON.stringify(issues))
  return valid
}

/** Agents main (default) and work; Telegram accounts default and workbot; DMs per channel peer; work owns workbot. */
const CONFIG = config({
  agents: {defaults: {model: 'fake/m'}, list: [{id: 'main', default: true}, {id: 'work'}]},
  session: {dmScope: 'per-channel-peer'},
  bindings: [{agentId: 'work', match: {channel: 'telegram', accountId: 'workbot'}}],
  channels: {telegram: {botToken: '1:a', accounts: {workbot: {botToken: '2:b'}}}},
})

describe('resolveChannelTarget', () => {
  it.each<[string, {to: string; channel?: string; accountId?: string; threadId?: string}, Record<string, unknown> | string]>([
    ['a user id is a direct chat on the default account', {to: '812345678'}, {channel: 'telegram', accountId: 'default', chatId: '812345678', peer: {kind: 'direct', id: '812345678'}}],
    ['a negative id is a group', {to: '-1001234', channel: 'telegram'}, {chatId: '-1001234', peer: {kind: 'group', id: '-1001234'}}],
    ['a group with a thread is its forum topic', {to: '-1001234', threadId: '5'}, {chatId: '-1001234', threadId: '5', peer: {kind: 'group', id: '-1001234:topic:5'}, parentPeer: {kind: 'group', id: '-1001234'}}],
    ['the topic may be in the target', {to: 'telegram:-1001234:topic:7'}, {chatId: '-1001234', threadId: '7', peer: {kind: 'group', id: '-1001234:topic:7'}}],
    ['@name is a channel', {to: '@news_feed'}, {chatId: '@news_feed', peer: {kind: 'channel', id: '@news_feed'}}],
    ['an explicit kind wins', {to: 'group:42'}, {peer: {kind: 'group', id: '42'}}],
    ['an account is normalized', {to: '7', accountId: ' WorkBot '}, {accountId: 'workbot'}],
    ['an unknown account', {to: '7', accountId: 'nope'}, 'no telegram account "nope" (accounts: default, workbot)'],
    ['an unknown channel', {to: '7', channel: 'signal'}, 'unknown channel "signal" (channels: telegram)'],
    ['a phone number is no telegram chat', {to: '+15555550123'}, '"+15555550123" is not a telegram chat id'],
    ['a target naming another channel than --channel', {to: 'telegram:7', channel: 'slack'}, 'target "telegram:7" names channel telegram, but --channel is slack'],
  ])('%s', (_name, input, expected) => {
    const result = resolveChannelTarget(CONFIG, input)
    if (typeof expected === 'string') expect(result).toEqual({ok: false, reason: expect.stringContaining(expected)})
    else expect(result).toMatchObject({ok: true, target: expected})
  })

  it('without a telegram block nothing is deliverable', () => {
    expect(resolveChannelTarget(config({}), {to: '7'})).toEqual({ok: false, reason: 'no channel is configured to deliver to'})
    expect(telegramAccountIds(config({}))).toBeUndefined()
  })

  it.each<[string, Record<string, unknown>, {ids: string[]; defaultId: string}]>([
    ['a top-level token is the default account', {botToken: '1:a'}, {ids: ['default'], defaultId: 'default'}],
    ['accounts only: the first is the default', {accounts: {a: {botToken: '1:a'}, b: {botToken: '2:b'}}}, {ids: ['a', 'b'], defaultId: 'a'}],
    ['defaultAccount names it', {defaultAccount: 'b', accounts: {a: {botToken: '1:a'}, b: {botToken: '2:b'}}}, {ids: ['a', 'b'], defaultId: 'b'}],
  ])('telegram account ids: %s', (_name, telegram, expected) => {
    expect(telegramAccountIds(config({channels: {telegram}}))).toEqual(expected)
  })
})

describe('targets a session remembers', () => {
  it.each<[string, string, Record<string, unknown> | undefined]>([
    ['per-channel-peer DM', 'agent:main:telegram:direct:42', {channel: 'telegram', to: 'direct:42'}],
    ['per-account DM', 'agent:main:telegram:workbot:direct:42', {channel: 'telegram', accountId: 'workbot', to: 'direct:42'}],
    ['forum topic', 'agent:main:telegram:group:-100123:topic:5', {channel: 'telegram', to: 'group:-100123', threadId: '5'}],
    ['the main session names no chat', 'agent:main:main', undefined],
    ['per-peer DM names no channel', 'agent:main:direct:42', undefined],
    ['another channel', 'agent:main:discord:channel:555', undefined],
  ])('%s', (_name, key, expected) => {
    expect(targetOfSessionKey(key)).toEqual(expected)
  })

  it('lastChannel/lastTo win and need a lastTo', () => {
    expect(targetOfEntry({lastChannel: 'telegram', lastTo: '42', lastAccountId: 'workbot', lastThreadId: '3'})).toEqual({channel: 'telegram', to: '42', accountId: 'workbot', threadId: '3'})
    expect(targetOfEntry({lastChannel: 'telegram'})).toBeUndefined()
    expect(targetOfEntry(undefined)).toBeUndefined()
  })
})

describe('per-run options', () => {
  it('thinking levels are the config ones, case-insensitive; anything else is a usage error', () => {
    expect(thinkingLevel(' HIGH ')).toBe('high')
    expect(thinkingLevel(undefined)).toBeUndefined()
    expect(() => thinkingLevel('max')).toThrow('unknown thinking level "max" (levels: off, minimal, low, medium, high, xhigh)')
  })

  it('image attachments become image parts (data URLs too); other files are skipped with a warning; bad base64 is refused', () => {
    const warnings: string[] = []
    const png = Buffer.from('png').toString('base64')
    expect(attachmentImages([{type: 'image', mimeType: 'image/png', content: png}, {content: `data:image/jpeg;base64,${png}`}, {mimeType: 'application/pdf', fileName: 'a.pdf', content: png}], warnings)).toEqual([
      {type: 'image', mimeType: 'image/png', data: png},
      {type: 'image', mimeType: 'image/jpeg', data: png},
    ])
    expect(warnings).toEqual(['attachment a.pdf skipped: only images reach the model (got application/pdf)'])
    expect(() => attachmentImages([{mimeType: 'image/png', content: 'not base64!'}], [])).toThrow('attachment #1 is not base64 image data')
  })
})

describe('prepareAgentRun: which session, which delivery', () => {
  function stores(): {stores: SessionStores; of(agentId: string): SessionStore} {
    const cache = new Map<string, SessionStore>()
    const of = (agentId: string) => cache.get(agentId) ?? cache.set(agentId, createMemorySessionStore({agentId, cwd: '/ws'})).get(agentId)!
    return {stores: sessionStoresOf(of), of}
  }
  const prepare = (s: SessionStores, params: AgentRunParams) => prepareAgentRun({config: CONFIG, stores: s}, params, 'run-1')

  it.each<[string, AgentRunParams, {agentId: string; sessionKey: string}]>([
    ['nothing: the default agent main session', {}, {agentId: 'main', sessionKey: 'agent:main:main'}],
    ['an agent: its main session', {agentId: 'work'}, {agentId: 'work', sessionKey: 'agent:work:main'}],
    ['a full key names its agent', {sessionKey: 'agent:work:scratch'}, {agentId: 'work', sessionKey: 'agent:work:scratch'}],
    ['a short key belongs to the agent', {sessionKey: 'Scratch', agentId: 'work'}, {agentId: 'work', sessionKey: 'agent:work:scratch'}],
    ['to: the session a DM from that chat lands in', {to: '42'}, {agentId: 'main', sessionKey: 'agent:main:telegram:direct:42'}],
    ['to on a bound account: the binding picks the agent', {to: '42', accountId: 'workbot'}, {agentId: 'work', sessionKey: 'agent:work:telegram:direct:42'}],
    ['to with an explicit agent: that agent, same dmScope', {to: '42', agentId: 'work'}, {agentId: 'work', sessionKey: 'agent:work:telegram:direct:42'}],
    ['to in a forum topic', {to: '-100123', threadId: '9'}, {agentId: 'main', sessionKey: 'agent:main:telegram:group:-100123:topic:9'}],
    ['a key beats to', {to: '42', sessionKey: 'agent:main:other'}, {agentId: 'main', sessionKey: 'agent:main:other'}],
  ])('%s', async (_name, params, expected) => {
    const prepared = await prepare(stores().stores, params)
    expect(prepared.request).toMatchObject(expected)
    expect(prepared.delivery).toBeNull()
  })

  it('sessionId picks the session whose current id it is (any agent); archived ids and unknown ids are refused', async () => {
    const s = stores()
    const {entry} = await s.of('work').ensure('agent:work:notes', {agentId: 'work', cwd: '/ws'})
    expect((await prepare(s.stores, {sessionId: entry.sessionId})).request).toMatchObject({agentId: 'work', sessionKey: 'agent:work:notes'})
    // OpenClaw's CLI: the id plus the key it derived from it.
    expect((await prepare(s.stores, {sessionId: entry.sessionId, sessionKey: `agent:work:explicit:${entry.sessionId}`})).request).toMatchObject({sessionKey: 'agent:work:notes'})
    // A derived key for an id nobody has: that key (a new session there on first use).
    expect((await prepare(s.stores, {sessionId: 'abc123', sessionKey: 'agent:main:explicit:abc123'})).request).toMatchObject({sessionKey: 'agent:main:explicit:abc123'})
    await expect(prepare(s.stores, {sessionId: entry.sessionId, sessionKey: 'agent:work:other'})).rejects.toThrow(`session ${entry.sessionId} belongs to agent:work:notes, not agent:work:other`)
    await s.of('work').reset('agent:work:notes', {reason: 'new'})
    const archived = await prepare(s.stores, {sessionId: entry.sessionId}).catch((error: unknown) => error)
    expect(isAppError(archived) && archived.code).toBe('SESSION_CHANGED')
    expect((archived as Error).message).toContain('is archived')
    await expect(prepare(s.stores, {sessionId: 'nope'})).rejects.toThrow('no session has id nope')
  })

  it('deliver: to, else the last route, else the chat the key names; unresolvable throws unless best effort', async () => {
    const s = stores()
    const toChat = await prepare(s.stores, {to: '42', deliver: true})
    expect(toChat.delivery).toEqual({
      target: {channel: 'telegram', accountId: 'default', chatId: '42', peer: {kind: 'direct', id: '42'}},
      origin: {channel: 'telegram', accountId: 'default', peer: {kind: 'direct', id: '42'}, dedupeKeys: ['run:run-1'], delivery: 'channel'},
    })
    expect(toChat.request.origin).toEqual(toChat.delivery?.origin)
    expect((await prepare(s.stores, {sessionKey: 'agent:main:telegram:group:-100123:topic:5', deliver: true})).delivery?.target).toMatchObject({chatId: '-100123', threadId: '5'})
    await s.of('main').ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await s.of('main').patch('agent:main:main', {lastChannel: 'telegram', lastTo: '77', lastAccountId: 'workbot'})
    expect((await prepare(s.stores, {deliver: true})).delivery?.target).toMatchObject({chatId: '77', accountId: 'workbot'})
    expect((await prepare(s.stores, {to: '42', replyTo: '-100999', deliver: true})).delivery?.target).toMatchObject({chatId: '-100999', peer: {kind: 'group'}})

    await expect(prepare(s.stores, {agentId: 'work', deliver: true})).rejects.toThrow('cannot deliver the reply: no target: give --to, or use a session that talked to a chat (agent:work:main has no last route)')
    const bestEffort = await prepare(s.stores, {to: 'nope', deliver: true, bestEffortDeliver: true})
    expect(bestEffort.delivery).toBeNull()
    expect(bestEffort.request.origin).toBeUndefined()
    expect(bestEffort.warnings).toEqual([expect.stringContaining('not delivered: "nope" is not a telegram chat id')])
    expect(bestEffort.undeliverable).toBe('"nope" is not a telegram chat id (a number such as 812345678 or -1001234567890, or @channelname)')
  })

  it('threadId: a forum topic session; a private chat keeps its session and the thread rides in the delivery peer; it overrides the last route\'s thread', async () => {
    const s = stores()
    const topic = await prepare(s.stores, {to: '-100123', threadId: '7', deliver: true})
    expect(topic.request.sessionKey).toBe('agent:main:telegram:group:-100123:topic:7')
    expect(topic.delivery?.origin.peer).toEqual({kind: 'group', id: '-100123:topic:7'})
    const dm = await prepare(s.stores, {to: '42', threadId: '9', deliver: true})
    expect(dm.request.sessionKey).toBe('agent:main:telegram:direct:42')
    expect(dm.delivery).toMatchObject({target: {chatId: '42', threadId: '9', peer: {kind: 'direct', id: '42'}}, origin: {peer: {kind: 'direct', id: '42:topic:9'}}})
    await s.of('main').ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await s.of('main').patch('agent:main:main', {lastChannel: 'telegram', lastTo: '-100555', lastThreadId: '3'})
    expect((await prepare(s.stores, {deliver: true})).delivery?.target).toMatchObject({chatId: '-100555', threadId: '3'})
    expect((await prepare(s.stores, {deliver: true, threadId: '4'})).delivery?.target).toMatchObject({chatId: '-100555', threadId: '4'})
    // replyTo redirects delivery only: the session is the one `to` picks.
    const redirected = await prepare(s.stores, {to: '42', replyTo: '-100999', replyAccountId: 'workbot', threadId: '2', deliver: true})
    expect(redirected.request.sessionKey).toBe('agent:main:telegram:direct:42')
    expect(redirected.delivery?.target).toMatchObject({chatId: '-100999', accountId: 'workbot', threadId: '2'})
  })

  it('bad selectors write nothing', async () => {
    const s = stores()
    await expect(prepare(s.stores, {agentId: 'ghost'})).rejects.toThrow('unknown agent: ghost')
    await expect(prepare(s.stores, {to: 'x', deliver: true})).rejects.toMatchObject({code: 'DELIVERY_TARGET_INVALID'})
    await expect(prepare(s.stores, {deliver: true})).rejects.toMatchObject({
      code: 'DELIVERY_TARGET_INVALID', message: expect.stringContaining('agent:main:main has no last route'),
      hint: ['Name the chat: openclaw agent --channel telegram --to <chatId> --deliver --message "…"', 'See the configured accounts: openclaw channels list'],
    })
    await expect(prepare(s.stores, {sessionId: 'nope'})).rejects.toMatchObject({code: 'SESSION_NOT_FOUND', hint: ['List sessions and their ids: openclaw sessions list --all-agents --json']})
    await expect(prepare(s.stores, {thinking: 'max'})).rejects.toMatchObject({code: 'USAGE'})
    expect(await s.of('main').list()).toEqual([])
  })
})
