import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Config} from '../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'
import {configuredChannels, gatewayChannels, type ChannelStatus} from '../../../src/runtime/status/channels.js'
import {configuredAgents} from '../../../src/runtime/agents/default-agent.js'
import {sessionStorePath} from '../../../src/runtime/sessions/paths.js'
import {collectLocalAgents} from '../../../src/runtime/status/local-agents.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-status-local-'))
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

function config(tree: Record<string, unknown>): Config {
  const validated = validateConfigTree(tree)
  expect(validated.issues).toEqual([])
  return validated.config as Config
}

const paths = () => ({home: root, stateDir: path.join(root, '.openclaw')})

function writeStore(agentId: string, entries: Record<string, unknown> | string): void {
  const file = sessionStorePath(paths(), agentId, undefined)
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, typeof entries === 'string' ? entries : JSON.stringify(entries))
}

describe('configuredAgents (config.md §7.2)', () => {
  it.each<[string, Record<string, unknown> | null, Record<string, unknown> | null, {defaultId: string; ids: string[]}]>([
    ['no agents: the implicit main', {}, null, {defaultId: 'main', ids: ['main']}],
    ['the first entry is the default', {agents: {list: [{id: 'home'}, {id: 'work'}]}}, null, {defaultId: 'home', ids: ['home', 'work']}],
    ['default: true wins', {agents: {list: [{id: 'home'}, {id: 'work', default: true}]}}, null, {defaultId: 'work', ids: ['home', 'work']}],
    ['invalid config: authored entries with a string id', null, {agents: {list: [{id: 'a', bogus: 1}, {name: 'no id'}, {id: 'b', default: true}]}}, {defaultId: 'b', ids: ['a', 'b']}],
    ['invalid config without agents', null, {gateway: {port: 'x'}}, {defaultId: 'main', ids: ['main']}],
  ])('%s', (_name, tree, authored, expected) => {
    const result = configuredAgents(tree === null ? null : config(tree), authored)
    expect({defaultId: result.defaultId, ids: result.list.map((a) => a.id)}).toEqual(expected)
  })
})

describe('collectLocalAgents (runtime.md §5)', () => {
  it('counts index entries per agent and lists the five most recent sessions', () => {
    writeStore('home', Object.fromEntries(Array.from({length: 6}, (_, i) => [`agent:home:k${i}`, {sessionId: `s${i}`, updatedAt: 1000 + i}])))
    writeStore('work', {'agent:work:main': {sessionId: 'w', updatedAt: 1003.5}, 'agent:work:old': {sessionId: 'x'}})
    const report = collectLocalAgents(paths(), config({agents: {list: [{id: 'home', name: 'Home'}, {id: 'work'}, {id: 'idle'}]}}))
    expect(report.agents).toEqual({defaultId: 'home', list: [{id: 'home', name: 'Home', sessions: 6}, {id: 'work', name: null, sessions: 2}, {id: 'idle', name: null, sessions: 0}]})
    expect(report.sessions.count).toBe(8)
    expect(report.sessions.recent.map((s) => s.key)).toEqual(['agent:home:k5', 'agent:home:k4', 'agent:work:main', 'agent:home:k3', 'agent:home:k2'])
    expect(report.problems).toEqual([])
  })

  it('reports an unreadable index without failing', () => {
    writeStore('main', '{not json')
    const report = collectLocalAgents(paths(), config({}))
    expect(report.agents.list).toEqual([{id: 'main', name: null, sessions: null}])
    expect(report.problems).toEqual([`${sessionStorePath(paths(), 'main', undefined)} is not valid JSON`])
  })

  it('honours session.store with {agentId}', () => {
    const file = path.join(root, 'stores', 'main.json')
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, JSON.stringify({'agent:main:main': {sessionId: 'a', updatedAt: 5}}))
    expect(collectLocalAgents(paths(), config({session: {store: path.join(root, 'stores', '{agentId}.json')}})).sessions.count).toBe(1)
  })
})

describe('channels (config.md §7.6)', () => {
  const row = (accountId: string, enabled: boolean, configured: boolean): ChannelStatus => ({channel: 'telegram', accountId, enabled, configured, running: null, connected: null, lastError: null})
  it.each<[string, Record<string, unknown>, Record<string, string>, ChannelStatus[]]>([
    ['no telegram section', {}, {}, []],
    ['top-level token: the default account', {channels: {telegram: {botToken: '123:abc'}}}, {}, [row('default', true, true)]],
    ['no token anywhere', {channels: {telegram: {}}}, {}, [row('default', true, false)]],
    ['TELEGRAM_BOT_TOKEN serves the default account', {channels: {telegram: {}}}, {TELEGRAM_BOT_TOKEN: '1:x'}, [row('default', true, true)]],
    ['accounts only', {channels: {telegram: {accounts: {work: {botToken: '1:a'}, off: {botToken: '2:b', enabled: false}}}}}, {}, [row('work', true, true), row('off', false, true)]],
    ['disabled channel', {channels: {telegram: {enabled: false, botToken: '1:a'}}}, {}, [row('default', false, true)]],
  ])('%s', (_name, tree, env, expected) => {
    expect(configuredChannels(config(tree), env)).toEqual(expected)
  })

  it('takes live state from the health snapshot, enabled from the config', () => {
    const snapshot = {
      channelOrder: ['telegram'],
      channels: {telegram: {configured: true, running: true, accounts: {default: {running: true, connected: true}, work: {running: false, lastError: '409 Conflict'}}}},
    }
    expect(gatewayChannels(snapshot, [row('default', true, true)])).toEqual([
      {channel: 'telegram', accountId: 'default', enabled: true, configured: true, running: true, connected: true, lastError: null},
      {channel: 'telegram', accountId: 'work', enabled: null, configured: true, running: false, connected: null, lastError: '409 Conflict'},
    ])
  })
})
