import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import {isAppError} from '../../../src/runtime/errors/app-error.js'
import {isLocalBaseUrl, resolveCompat} from '../../../src/runtime/models/compat.js'
import {collectProviderKeys, maskKey, readAuthProfileKeys} from '../../../src/runtime/models/key-sources.js'
import {parseModelRef, resolveModelRef} from '../../../src/runtime/models/model-ref.js'
import {resolveModelCandidate, resolveRunModels} from '../../../src/runtime/models/resolve-model.js'

const config = (raw: Record<string, unknown> = {}) => ConfigSchema.parse(raw)

function thrown(fn: () => unknown) {
  try {
    fn()
  } catch (error) {
    if (isAppError(error)) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('model refs', () => {
  it.each([
    ['openai/gpt-4.1', {provider: 'openai', model: 'gpt-4.1'}],
    ['openrouter/anthropic/claude-sonnet-4', {provider: 'openrouter', model: 'anthropic/claude-sonnet-4'}],
    ['OpenAI/GPT-X', {provider: 'openai', model: 'GPT-X'}],
    [' ollama/llama3.2:3b ', {provider: 'ollama', model: 'llama3.2:3b'}],
  ])('%s splits at the first slash, provider lower-cased, model verbatim', (raw, expected) => {
    expect(parseModelRef(raw)).toMatchObject(expected)
  })

  it.each(['gpt', '/m', 'p/', ''])('"%s" is not a ref', (raw) => {
    expect(parseModelRef(raw)).toBeUndefined()
  })

  it('resolves an alias from agents.defaults.models, case-insensitively', () => {
    const cfg = config({agents: {defaults: {models: {'anthropic/claude-sonnet-4-5': {alias: 'Sonnet'}}}}})
    expect(resolveModelRef(cfg, 'sonnet')).toEqual({ref: 'anthropic/claude-sonnet-4-5', provider: 'anthropic', model: 'claude-sonnet-4-5', alias: 'sonnet'})
  })

  it('a bare word that is no alias is MODEL_REF_INVALID with the list command', () => {
    const error = thrown(() => resolveModelRef(config(), 'gpt'))
    expect(error.code).toBe('MODEL_REF_INVALID')
    expect(error.message).toBe('Unknown model "gpt": a model ref is provider/model, or an alias from agents.defaults.models')
    expect(error.hint[0]).toBe('See the models you can use: openclaw models list')
  })
})

describe('compat flags', () => {
  it.each([
    ['openai', 'https://api.openai.com/v1', false, {developerRole: true, maxTokensField: 'max_completion_tokens', recoverTextToolCalls: false, echoReasoning: false}],
    ['openrouter', 'https://openrouter.ai/api/v1', false, {developerRole: false, maxTokensField: 'max_tokens'}],
    ['moonshot', 'https://api.moonshot.ai/v1', false, {echoReasoning: true, developerRole: false}],
    ['groq', 'https://api.groq.com/openai/v1', false, {maxTokensField: 'max_tokens', streamUsage: true, streamToolCalls: true}],
    ['ollama', 'http://127.0.0.1:11434/v1', true, {recoverTextToolCalls: true, developerRole: false}],
    ['openai', 'http://127.0.0.1:9/v1', true, {developerRole: false, maxTokensField: 'max_completion_tokens'}],
  ] as const)('%s at %s', (providerId, baseUrl, local, expected) => {
    expect(resolveCompat({providerId, baseUrl, local})).toMatchObject(expected)
  })

  it('provider compat overrides defaults and model compat wins over the provider', () => {
    const flags = resolveCompat({providerId: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1', local: true, provider: {streamToolCalls: false, recoverTextToolCalls: false}, model: {recoverTextToolCalls: true}})
    expect(flags).toMatchObject({streamToolCalls: false, recoverTextToolCalls: true})
  })

  it.each([
    ['http://127.0.0.1:1234/v1', true], ['http://localhost:8080', true], ['http://[::1]:8000/v1', true], ['http://192.168.1.20:11434', true],
    ['http://10.0.0.5/v1', true], ['http://172.20.0.1/v1', true], ['https://api.openai.com/v1', false], ['http://172.40.0.1/v1', false],
  ] as const)('isLocalBaseUrl(%s) = %s', (url, expected) => {
    expect(isLocalBaseUrl(url)).toBe(expected)
  })
})

describe('key sources', () => {
  it('collects config, profiles, _API_KEYS, _API_KEY and _API_KEY_n in order, deduplicated', () => {
    const keys = collectProviderKeys({
      configKey: 'cfg',
      profileKeys: [{key: 'prof', source: 'auth-profile:openai:default'}],
      envPrefixes: ['OPENAI'],
      env: {OPENAI_API_KEYS: 'k1, k2;k3 cfg', OPENAI_API_KEY: 'k2', OPENAI_API_KEY_1: 'k9'},
    })
    expect(keys).toEqual([
      {key: 'cfg', source: 'config'}, {key: 'prof', source: 'auth-profile:openai:default'},
      {key: 'k1', source: 'env:OPENAI_API_KEYS'}, {key: 'k2', source: 'env:OPENAI_API_KEYS'}, {key: 'k3', source: 'env:OPENAI_API_KEYS'},
      {key: 'k9', source: 'env:OPENAI_API_KEY_1'},
    ])
  })

  it('moonshot also reads KIMI_API_KEY', () => {
    expect(collectProviderKeys({envPrefixes: ['MOONSHOT', 'KIMI'], env: {KIMI_API_KEY: 'sk-kimi'}})).toEqual([{key: 'sk-kimi', source: 'env:KIMI_API_KEY'}])
  })

  it('reads api_key profiles of the provider from auth-profiles.json, auth.order first', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-auth-'))
    writeFileSync(path.join(dir, 'auth-profiles.json'), JSON.stringify({version: 1, profiles: {
      'openai:default': {type: 'api_key', provider: 'openai', key: 'sk-default'},
      'openai:work': {type: 'api_key', provider: 'openai', key: 'sk-work'},
      'anthropic:default': {type: 'api_key', provider: 'anthropic', key: 'sk-ant'},
      'openai:oauth': {type: 'oauth', provider: 'openai', access: 'x'},
    }}))
    expect(readAuthProfileKeys(dir, 'openai', ['openai:work']).map((k) => k.source)).toEqual(['auth-profile:openai:work', 'auth-profile:openai:default'])
    expect(readAuthProfileKeys(path.join(dir, 'missing'), 'openai')).toEqual([])
  })

  it('masks keys to their last four characters', () => {
    expect(maskKey('sk-abcdefghijkl')).toBe('…ijkl')
    expect(maskKey('short')).toBe('…')
  })
})

describe('resolving candidates', () => {
  const env = {OPENAI_API_KEY: 'sk-openai-key'}

  it('merges a preset with its config entry field by field', () => {
    const cfg = config({models: {providers: {ollama: {baseUrl: 'http://127.0.0.1:9999/v1'}}}})
    const c = resolveModelCandidate(cfg, 'ollama/qwen3', {env: {}})
    expect(c.model).toMatchObject({provider: 'ollama', api: 'openai-completions', baseUrl: 'http://127.0.0.1:9999/v1', contextWindow: 32_768, maxTokens: 4096, idleTimeoutMs: 300_000, local: true})
    expect(c.keyRequired).toBe(false)
  })

  it('unlisted models get the documented defaults (anthropic 200k)', () => {
    expect(resolveModelCandidate(config(), 'anthropic/some-new-model', {env: {}}).model).toMatchObject({contextWindow: 200_000, maxTokens: 8192, input: ['text'], idleTimeoutMs: 120_000})
    expect(resolveModelCandidate(config(), 'openai/some-new-model', {env: {}}).model).toMatchObject({contextWindow: 128_000, maxTokens: 8192})
  })

  it('listed models carry their metadata, timeoutSeconds sets the idle timeout, params merge', () => {
    const cfg = config({
      models: {mode: 'replace', providers: {fake: {baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'test', timeoutSeconds: 2, params: {temperature: 0.1}, models: [{id: 'm', name: 'M', input: ['text', 'image'], contextWindow: 1000, maxTokens: 100, params: {top_p: 0.5}}]}}},
      agents: {defaults: {models: {'fake/m': {params: {temperature: 0.7}}}}},
    })
    const c = resolveModelCandidate(cfg, 'fake/m', {env: {}})
    expect(c.model).toMatchObject({contextWindow: 1000, maxTokens: 100, input: ['text', 'image'], idleTimeoutMs: 2000, params: {temperature: 0.7, top_p: 0.5}})
    expect(c.listed).toBe(true)
    expect(c.keys).toEqual([{key: 'test', source: 'config'}])
  })

  it('models.mode replace drops the presets', () => {
    const error = thrown(() => resolveModelCandidate(config({models: {mode: 'replace', providers: {fake: {baseUrl: 'http://127.0.0.1:1/v1'}}}}), 'openai/gpt-4.1', {env}))
    expect(error.code).toBe('MODEL_PROVIDER_UNKNOWN')
    expect(error.message).toBe('Unknown model provider "openai" in model ref "openai/gpt-4.1" (known: fake)')
  })

  it('an api of ollama gets /v1 appended and is served through chat completions', () => {
    const c = resolveModelCandidate(config({models: {providers: {box: {baseUrl: 'http://192.168.1.5:11434', api: 'ollama'}}}}), 'box/llama3', {env: {}})
    expect(c.model).toMatchObject({api: 'openai-completions', baseUrl: 'http://192.168.1.5:11434/v1', local: true})
  })

  it('the run models: the agent selection replaces the default one whole; duplicates are dropped', () => {
    const cfg = config({agents: {defaults: {model: {primary: 'openai/a', fallbacks: ['openai/b', 'openai/c']}}, list: [{id: 'main'}, {id: 'work', model: 'openai/c'}, {id: 'ops', model: {primary: 'openai/d', fallbacks: ['openai/d', 'openai/e']}}]}})
    expect(resolveRunModels(cfg, {agentId: 'main', env}).candidates.map((c) => c.model.ref)).toEqual(['openai/a', 'openai/b', 'openai/c'])
    expect(resolveRunModels(cfg, {agentId: 'work', env}).candidates.map((c) => c.model.ref)).toEqual(['openai/c'])
    expect(resolveRunModels(cfg, {agentId: 'ops', env}).candidates.map((c) => c.model.ref)).toEqual(['openai/d', 'openai/e'])
  })

  it('a session override is strict: no fallbacks', () => {
    const cfg = config({agents: {defaults: {model: {primary: 'openai/a', fallbacks: ['openai/b']}}}})
    const run = resolveRunModels(cfg, {agentId: 'main', override: 'openai/z', env})
    expect([run.strict, run.candidates.map((c) => c.model.ref)]).toEqual([true, ['openai/z']])
  })

  it('a missing key for the primary names the env variable to set', () => {
    const error = thrown(() => resolveRunModels(config({agents: {defaults: {model: 'groq/llama'}}}), {agentId: 'main', env: {}}))
    expect(error.code).toBe('MODEL_API_KEY_MISSING')
    expect(error.message).toBe('No API key for model provider "groq" (model groq/llama): set GROQ_API_KEY')
    expect(error.hint[0]).toContain('export GROQ_API_KEY=')
  })

  it('no model configured is MODEL_REF_INVALID with the config command', () => {
    const error = thrown(() => resolveRunModels(config(), {agentId: 'main', env}))
    expect([error.code, error.hint[0]]).toEqual(['MODEL_REF_INVALID', 'Pick one: openclaw config set agents.defaults.model <provider/model>'])
  })

  it('a broken fallback is skipped with a warning', () => {
    const run = resolveRunModels(config({agents: {defaults: {model: {primary: 'openai/a', fallbacks: ['nope/x']}}}}), {agentId: 'main', env})
    expect(run.candidates).toHaveLength(1)
    expect(run.warnings[0]).toContain('fallback model "nope/x" skipped: Unknown model provider "nope"')
  })
})
