import {describe, expect, it} from 'vitest'

import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {sessionsMethods} from '../../../../src/runtime/gateway/methods/sessions.js'
import type {MethodContext, MethodDefinition} from '../../../../src/runtime/gateway/server/registry.js'
import {createMemorySessionStore, sessionStoresOf} from '../../../../src/runtime/sessions/open-store.js'

const {config} = validateConfigTree({agents: {list: [{id: 'home', default: true}, {id: 'work'}]}})
const paths = {home: '/h', stateDir: '/h/.openclaw', workspaceDir: null}

function setup() {
  const stores = sessionStoresOf((agentId) => createMemorySessionStore({agentId, cwd: '/ws'}))
  const events: Array<[string, Record<string, unknown>]> = []
  const aborted: string[] = []
  const methods = new Map(sessionsMethods({config: () => config!, paths, stores, publish: (e, p) => events.push([e, p]), beforeReset: async (_a, key) => void aborted.push(key)}).map((m) => [m.name, m]))
  const call = (name: string, params: unknown) => {
    const method = methods.get(name) as MethodDefinition
    return Promise.resolve(method.handler(method.params.parse(params), {} as MethodContext))
  }
  return {stores, events, aborted, call, methods}
}

describe('sessionsMethods', () => {
  it('registers the protocol names with their scopes', () => {
    expect([...setup().methods.values()].map((m) => [m.name, m.scope])).toEqual([
      ['sessions.list', 'operator.read'],
      ['sessions.reset', 'operator.admin'],
      ['sessions.delete', 'operator.admin'],
      ['sessions.patch', 'operator.write'],
      ['chat.history', 'operator.read'],
    ])
  })

  it('list across agents; reset aborts first, archives, emits sessions.changed; chat.history reads the archive', async () => {
    const {stores, call, events, aborted} = setup()
    const work = stores.forAgent('work')
    const {entry} = await work.ensure('agent:work:main', {agentId: 'work', cwd: '/ws'})
    await work.append('agent:work:main', {type: 'message', message: {role: 'user', content: [{type: 'text', text: 'hi'}], timestamp: 1}})
    const list = (await call('sessions.list', {})) as {sessions: Array<{key: string; agentId: string}>}
    expect(list.sessions).toEqual([expect.objectContaining({key: 'agent:work:main', agentId: 'work'})])

    const reset = (await call('sessions.reset', {key: 'agent:work:main', reason: 'new'})) as {previousSessionId: string; entry: {sessionId: string}}
    expect(aborted).toEqual(['agent:work:main'])
    expect(reset.previousSessionId).toBe(entry.sessionId)
    expect(events[0]).toEqual(['sessions.changed', expect.objectContaining({sessionKey: 'agent:work:main', agentId: 'work', reason: 'reset'})])

    const current = (await call('chat.history', {sessionKey: 'agent:work:main'})) as {messages: unknown[]; sessionId: string}
    expect(current).toMatchObject({sessionId: reset.entry.sessionId, messages: []})
    const archived = (await call('chat.history', {sessionKey: 'agent:work:main', sessionId: entry.sessionId})) as {messages: Array<{role: string}>}
    expect(archived.messages).toEqual([{role: 'user', content: [{type: 'text', text: 'hi'}], timestamp: 1}])
  })

  it('patch sets and clears with null; stale expectedSessionId is session-changed; unknown key not found', async () => {
    const {stores, call} = setup()
    await stores.forAgent('home').ensure('agent:home:main', {agentId: 'home', cwd: '/ws'})
    expect(await call('sessions.patch', {key: 'main', label: 'x', model: 'openai/gpt-5'})).toMatchObject({key: 'agent:home:main', entry: {label: 'x', modelOverride: 'openai/gpt-5', providerOverride: 'openai'}})
    expect(((await call('sessions.patch', {key: 'main', label: null})) as {entry: {label?: string}}).entry.label).toBeUndefined()
    await expect(call('sessions.reset', {key: 'main', expectedSessionId: 'old'})).rejects.toMatchObject({code: 'SESSION_CHANGED', details: {reason: 'session-changed'}})
    await expect(call('sessions.delete', {key: 'nope'})).rejects.toMatchObject({code: 'SESSION_NOT_FOUND', message: 'session not found: agent:home:nope (agent home)'})
    expect(await call('sessions.delete', {key: 'main'})).toMatchObject({ok: true, deleted: true, archived: [expect.stringMatching(/\.jsonl\.deleted\./)]})
  })
})
