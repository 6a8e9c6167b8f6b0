import {describe, expect, it} from 'vitest'

import {ToolRegistryCache} from '../../../../src/runtime/agents/run/run-tools.js'
import {ConfigSchema} from '../../../../src/runtime/config/schema/index.js'

const config = (raw: unknown) => ConfigSchema.parse(raw)

describe('ToolRegistryCache', () => {
  const base = {agentId: 'main', provider: 'fake', modelRef: 'fake/m', env: {}}

  it('gives the same registry (and tool definitions) for the same config generation, agent and model', () => {
    const cache = new ToolRegistryCache()
    const cfg = config({})
    const first = cache.get({...base, config: cfg})
    expect(cache.get({...base, config: cfg})).toBe(first)
    expect(cache.get({...base, config: cfg}).definitions).toBe(first.definitions)
  })

  it('builds anew for a reloaded config, another model or agent, and offline mode', () => {
    const cache = new ToolRegistryCache()
    const cfg = config({})
    const first = cache.get({...base, config: cfg})
    expect(cache.get({...base, config: config({})})).not.toBe(first)
    expect(cache.get({...base, modelRef: 'fake/other', config: cfg})).not.toBe(first)
    expect(cache.get({...base, agentId: 'work', config: cfg})).not.toBe(first)
    expect(cache.get({...base, env: {OPENCLAW_OFFLINE: '1'}, config: cfg})).not.toBe(first)
  })

  it('follows the policy of the config it is given (a denied tool is not offered)', () => {
    const cache = new ToolRegistryCache()
    const names = (raw: unknown) => cache.get({...base, config: config(raw)}).definitions.map((tool) => tool.name)
    expect(names({})).toContain('exec')
    expect(names({tools: {deny: ['exec']}})).not.toContain('exec')
  })
})
