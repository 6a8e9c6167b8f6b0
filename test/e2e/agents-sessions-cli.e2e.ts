import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {createFileSessionStore} from '../../src/runtime/sessions/open-store.js'
import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

const cli = (...args: string[]) => runCli(args, {env: t.env})

describe('openclaw agents (real binary)', () => {
  it('add writes out the implicit main, seeds the workspace, and refuses a taken id without writing', async () => {
    const added = await cli('agents', 'add', 'work', '--model', 'openai/gpt-5', '--bind', 'telegram:workbot', '--json')
    expect(added.code).toBe(0)
    expect(added.json.result.agent).toMatchObject({id: 'work', default: false, workspace: path.join(t.stateDir, 'workspace-work')})
    expect(existsSync(path.join(t.stateDir, 'workspace-work', 'BOOTSTRAP.md'))).toBe(true)
    expect(statSync(path.join(t.stateDir, 'agents', 'work', 'agent', 'auth-profiles.json')).mode & 0o777).toBe(0o600)

    const list = await cli('agents', 'list', '--bindings', '--json')
    expect(list.json.result).toMatchObject({defaultAgentId: 'main', agents: [{id: 'main', default: true, bindings: []}, {id: 'work', model: 'openai/gpt-5', bindings: [{channel: 'telegram', accountId: 'workbot'}]}]})

    const before = snapshotDir(t.stateDir)
    const again = await cli('agents', 'add', 'work')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('agent "work" already exists')
    expect(again.stderr).toContain('openclaw agents list')
    expect(snapshotDir(t.stateDir)).toEqual(before)
  })

  it('bind is idempotent, unbind reports nothing matched, unknown agent lists the known ids', async () => {
    await cli('agents', 'add', 'work')
    expect((await cli('agents', 'bind', 'work', '--channel', 'telegram', '--peer', 'group:-100', '--json')).json.result).toMatchObject({index: 0})
    expect((await cli('agents', 'bind', 'work', '--channel', 'telegram', '--peer', 'group:-100')).stdout).toContain('No change')
    const none = await cli('agents', 'unbind', 'work', '--channel', 'discord')
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no binding of work matches')
    expect((await cli('agents', 'unbind', 'work', '--all', '--json')).json.result).toEqual({removed: 1})
    const unknown = await cli('agents', 'bind', 'play', '--channel', 'telegram')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Unknown agent "play". Known agents: main, work.')
  })

  it('delete removes bindings, refuses the default without --force, and --purge moves files to backups', async () => {
    await cli('agents', 'add', 'work', '--bind', 'telegram')
    const refused = await cli('agents', 'delete', 'main')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('openclaw agents delete main --force')
    const deleted = await cli('agents', 'delete', 'work', '--purge', '--json')
    expect(deleted.json.result).toMatchObject({removed: 'work', bindingsRemoved: [{channel: 'telegram'}]})
    expect(existsSync(path.join(deleted.json.result.movedTo, 'workspace', 'AGENTS.md'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8'))).toMatchObject({agents: {list: [{id: 'main'}]}, bindings: []})
  })
})

describe('openclaw sessions (real binary)', () => {
  it('list, history, reset, and history of the archived sessionId', async () => {
    const store = createFileSessionStore(path.join(t.stateDir, 'agents', 'main', 'sessions'), {agentId: 'main', cwd: '/ws'})
    const {entry} = await store.ensure('agent:main:main', {agentId: 'main', cwd: '/ws'})
    await store.append('agent:main:main', {type: 'message', message: {role: 'user', content: [{type: 'text', text: 'hi'}], timestamp: 1}})
    await store.append('agent:main:main', {type: 'message', message: {role: 'assistant', content: [{type: 'text', text: 'hello!'}, {type: 'toolCall', id: 'c1', name: 'ls', arguments: {path: '.'}}], api: 'x', provider: 'p', model: 'm', usage: {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2}, stopReason: 'toolUse'}})

    const list = await cli('sessions', 'list', '--all-agents', '--json')
    expect(list.json.result.sessions).toEqual([expect.objectContaining({agentId: 'main', key: 'agent:main:main', sessionId: entry.sessionId, kind: 'direct'})])

    const history = await cli('sessions', 'history', 'main', '--json')
    expect(history.json.result).toMatchObject({key: 'agent:main:main', sessionId: entry.sessionId, hasMore: false, messages: [{role: 'user', text: 'hi'}, {role: 'assistant', text: 'hello!', toolCalls: [{name: 'ls', arguments: {path: '.'}}]}]})

    const reset = await cli('sessions', 'reset', 'main', '--json')
    expect(reset.code).toBe(0)
    expect(reset.json.result).toMatchObject({key: 'agent:main:main', previousSessionId: entry.sessionId})
    expect(reset.json.result.archivedTranscript).toMatch(new RegExp(`^${entry.sessionId}\\.jsonl\\.reset\\.`))

    const old = await cli('sessions', 'history', 'main', '--session-id', entry.sessionId, '--json')
    expect(old.json.result.messages.map((m: {text: string}) => m.text)).toEqual(['hi', 'hello!'])
    const archived = await cli('sessions', 'list', '--archived', '--json')
    expect(archived.json.result.sessions[0].archived).toEqual([expect.objectContaining({sessionId: entry.sessionId, reason: 'reset'})])

    const stale = await cli('sessions', 'reset', 'main', '--expect-session-id', entry.sessionId)
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain('session changed')
  })

  it('unknown key and unknown agent exit 1 with the fix', async () => {
    const missing = await cli('sessions', 'history', 'nope')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('session not found: agent:main:nope')
    expect(missing.stderr).toContain('openclaw sessions list --agent main')
    const agent = await cli('sessions', 'list', '--agent', 'ghost')
    expect(agent.code).toBe(1)
    expect(agent.stderr).toContain('Unknown agent "ghost". Known agents: main.')
  })
})
