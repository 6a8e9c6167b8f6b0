import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {resolveAgent, resolveAgents} from '../../../src/runtime/agents/registry.js'
import {BOOTSTRAP_FILES, ensureAgentHome} from '../../../src/runtime/agents/workspace-bootstrap.js'
import type {Config} from '../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'

const paths = {home: '/home/ana', stateDir: '/home/ana/.openclaw', workspaceDir: null}
function config(tree: unknown): Config {
  const {config: parsed, issues} = validateConfigTree(tree)
  if (parsed === null) throw new Error(JSON.stringify(issues))
  return parsed
}

describe('resolveAgents', () => {
  it('empty list: the implicit main with default homes', () => {
    expect(resolveAgents(config({}), paths)).toEqual([
      {id: 'main', name: null, isDefault: true, implicit: true, workspace: '/home/ana/.openclaw/workspace', agentDir: '/home/ana/.openclaw/agents/main/agent', sessionsDir: '/home/ana/.openclaw/agents/main/sessions', model: null, fallbacks: [], identity: {}},
    ])
  })

  it('default agent uses the defaults workspace, others workspace-<id>; models and fallbacks resolve', () => {
    const agents = resolveAgents(config({
      agents: {
        defaults: {workspace: '~/ws', model: {primary: 'openai/gpt-5', fallbacks: ['anthropic/claude']}},
        list: [{id: 'home'}, {id: 'work', default: true, model: 'anthropic/sonnet', agentDir: 'custom/dir', identity: {name: 'W'}}],
      },
    }), paths)
    expect(agents.map((a) => [a.id, a.isDefault, a.workspace, a.model, a.fallbacks])).toEqual([
      ['home', false, '/home/ana/.openclaw/workspace-home', 'openai/gpt-5', ['anthropic/claude']],
      ['work', true, '/home/ana/ws', 'anthropic/sonnet', []],
    ])
    expect(agents[1]).toMatchObject({agentDir: '/home/ana/.openclaw/custom/dir', identity: {name: 'W'}, implicit: false})
  })

  it('OPENCLAW_WORKSPACE_DIR sets the default workspace when the config has none', () => {
    expect(resolveAgent(config({}), {...paths, workspaceDir: '/srv/ws'}).workspace).toBe('/srv/ws')
  })

  it('session.store moves the sessions dir', () => {
    expect(resolveAgent(config({session: {store: '/data/{agentId}/sessions.json'}}), paths).sessionsDir).toBe('/data/main')
  })

  it('unknown agent id lists the known ones', () => {
    expect(() => resolveAgent(config({agents: {list: [{id: 'home'}, {id: 'work'}]}}), paths, 'play')).toThrow(expect.objectContaining({code: 'AGENT_NOT_FOUND', message: 'Unknown agent "play". Known agents: home, work.'}))
  })
})

describe('ensureAgentHome', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oc-agent-home-'))
  afterAll(() => rmSync(root, {recursive: true, force: true}))
  const home = (name: string) => ({workspace: path.join(root, name, 'ws'), agentDir: path.join(root, name, 'agent'), sessionsDir: path.join(root, name, 'sessions')})

  it('seeds a fresh workspace with every file incl. BOOTSTRAP.md, agentDir 0700 and auth-profiles 0600', () => {
    const dirs = home('fresh')
    ensureAgentHome(dirs)
    expect(readdirSync(dirs.workspace).sort()).toEqual([...BOOTSTRAP_FILES, 'BOOTSTRAP.md'].sort())
    expect(statSync(dirs.agentDir).mode & 0o777).toBe(0o700)
    expect(statSync(dirs.sessionsDir).mode & 0o777).toBe(0o700)
    expect(statSync(path.join(dirs.agentDir, 'auth-profiles.json')).mode & 0o777).toBe(0o600)
  })

  it('never overwrites user files and adds no BOOTSTRAP.md to a used workspace', () => {
    const dirs = home('used')
    ensureAgentHome({...dirs}, {skipBootstrap: true})
    writeFileSync(path.join(dirs.workspace, 'SOUL.md'), 'mine')
    const created = ensureAgentHome(dirs)
    expect(readFileSync(path.join(dirs.workspace, 'SOUL.md'), 'utf8')).toBe('mine')
    expect(created).not.toContain(path.join(dirs.workspace, 'SOUL.md'))
    expect(readdirSync(dirs.workspace)).not.toContain('BOOTSTRAP.md')
    expect(ensureAgentHome(dirs)).toEqual([])
  })
})
