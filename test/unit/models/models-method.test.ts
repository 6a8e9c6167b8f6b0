import {describe, expect, it} from 'vitest'

import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import {modelsMethods} from '../../../src/runtime/gateway/methods/models.js'
import {listModels} from '../../../src/runtime/models/models-report.js'

const config = ConfigSchema.parse({
  agents: {defaults: {model: 'anthropic/claude-sonnet-4-5'}, list: [{id: 'home', default: true}, {id: 'work', model: {primary: 'lab/qwen', fallbacks: ['openai/gpt-4.1']}}]},
  models: {providers: {lab: {baseUrl: 'http://127.0.0.1:8000/v1', models: [{id: 'qwen', name: 'Qwen (lab)', contextWindow: 32_000, reasoning: true}]}}},
})
const paths = {home: '/home/u', stateDir: '/home/u/.openclaw', workspaceDir: '/home/u/.openclaw/workspace'}

describe('models report and models.list', () => {
  it('tags the default agent chain, other agents and configured models; --provider filters', () => {
    const {models} = listModels(config, {env: {ANTHROPIC_API_KEY: 'sk-ant-xxxxxxxx'}, agentId: 'home'})
    expect(models.map((m) => [m.ref, m.tags.join(','), m.auth])).toEqual([
      ['anthropic/claude-sonnet-4-5', 'default,configured', 'ok'],
      ['lab/qwen', 'configured', 'ok'],
      ['openai/gpt-4.1', 'configured', 'missing'],
    ])
    expect(listModels(config, {env: {}, agentId: 'home', all: true, provider: 'groq'}).models.map((m) => m.tags)).toEqual([['catalog']])
  })

  it('models.list answers upstream fields plus ref/api/auth for the requested agent', async () => {
    const [method] = modelsMethods({config: () => config, paths, env: {}})
    expect(method.name).toBe('models.list')
    expect(method.scope).toBe('operator.read')
    const result = (await method.handler({agentId: 'work'}, {} as never)) as {models: Array<Record<string, unknown>>}
    expect(result.models[0]).toEqual({id: 'qwen', name: 'Qwen (lab)', provider: 'lab', contextWindow: 32_000, reasoning: true, ref: 'lab/qwen', api: 'openai-completions', auth: 'ok', tags: ['default', 'configured']})
    expect(() => method.handler({agentId: 'nope'}, {} as never)).toThrow(expect.objectContaining({code: 'AGENT_NOT_FOUND'}))
  })
})
