import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
})
afterEach(() => t.cleanup())

const config = (value: unknown) => writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify(value), {mode: 0o600})
const chain = {agents: {defaults: {model: {primary: 'openai/gpt-4.1', fallbacks: ['groq/llama-3.3-70b-versatile']}, models: {'openai/gpt-4.1': {alias: 'gpt'}}}}}

describe('openclaw models', () => {
  it('models list --json: the chain with tags, aliases and key status', async () => {
    config(chain)
    const r = await runCli(['models', 'list', '--json'], {env: {...t.env, OPENAI_API_KEY: 'sk-test-abcdefgh'}})
    expect(r.code).toBe(0)
    expect(r.json.result.models.map((m: {ref: string; tags: string[]; auth: string; alias?: string}) => [m.ref, m.tags, m.auth, m.alias ?? null])).toEqual([
      ['openai/gpt-4.1', ['default', 'configured'], 'ok', 'gpt'],
      ['groq/llama-3.3-70b-versatile', ['fallback'], 'missing', null],
    ])
  })

  it('models status --check: exit 0 when the primary has a key (a fallback without one only warns)', async () => {
    config(chain)
    const r = await runCli(['models', 'status', '--check', '--json'], {env: {...t.env, OPENAI_API_KEY: 'sk-test-abcdefgh'}})
    expect(r.code).toBe(0)
    expect(r.json.result.models.map((m: {status: string; authSource: string}) => [m.status, m.authSource])).toEqual([['ok', 'env:OPENAI_API_KEY'], ['warn', 'none']])
  })

  it('models status --check: exit 1 naming the variable when the primary has no key', async () => {
    config(chain)
    const r = await runCli(['models', 'status', '--check'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('openai/gpt-4.1                primary   openai/openai-completions')
    expect(r.stderr).toContain('Error (MODELS_CHECK_FAILED): primary model openai/gpt-4.1 is not usable: no credential: set OPENAI_API_KEY or models.providers.openai.apiKey')
    expect(r.stderr).toContain('export OPENAI_API_KEY=<your key>')
  })

  it('models status --check: exit 1 with no model configured; without --check the report exits 0', async () => {
    expect((await runCli(['models', 'status', '--check'], {env: t.env})).code).toBe(1)
    const plain = await runCli(['models', 'status'], {env: t.env})
    expect([plain.code, plain.stdout.trim()]).toEqual([0, 'Agent main: no model configured.'])
  })

  it('models status --check: exit 2 when the primary key from an auth profile expires within 7 days', async () => {
    config(chain)
    const agentDir = path.join(t.stateDir, 'agents', 'main', 'agent')
    mkdirSync(agentDir, {recursive: true, mode: 0o700})
    writeFileSync(path.join(agentDir, 'auth-profiles.json'), JSON.stringify({version: 1, profiles: {'openai:default': {type: 'api_key', provider: 'openai', key: 'sk-profile-key', expires: Date.now() + 2 * 86_400_000}}}), {mode: 0o600})
    const r = await runCli(['models', 'status', '--check', '--json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('MODELS_AUTH_EXPIRING')
    expect(r.json.result.models[0].authSource).toBe('auth-profile:openai:default')
  })

  it('models status --agent with an unknown agent fails with the agents command', async () => {
    config(chain)
    const r = await runCli(['models', 'status', '--agent', 'nope', '--check'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (AGENT_NOT_FOUND)')
  })
})
