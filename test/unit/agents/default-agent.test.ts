import {describe, expect, it} from 'vitest'

import {defaultAgentModel} from '../../../src/runtime/agents/default-agent.js'
import type {Config} from '../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'

function config(tree: Record<string, unknown>): Config {
  const validated = validateConfigTree(tree)
  expect(validated.issues).toEqual([])
  return validated.config as Config
}

describe('defaultAgentModel (config.md §7.2)', () => {
  it.each<[string, Record<string, unknown> | null, {agentId: string; model: string | null}]>([
    ['no config: implicit main, no model', null, {agentId: 'main', model: null}],
    ['empty list: implicit main with the defaults model', {agents: {defaults: {model: 'openai/gpt-4o'}}}, {agentId: 'main', model: 'openai/gpt-4o'}],
    ['first listed when none is marked', {agents: {list: [{id: 'home'}, {id: 'work'}]}}, {agentId: 'home', model: null}],
    ['the one marked default wins, with its own model', {agents: {defaults: {model: 'openai/a'}, list: [{id: 'home'}, {id: 'work', default: true, model: {primary: 'anthropic/b'}}]}}, {agentId: 'work', model: 'anthropic/b'}],
  ])('%s', (_name, tree, expected) => {
    expect(defaultAgentModel(tree === null ? null : config(tree))).toEqual(expected)
  })
})
