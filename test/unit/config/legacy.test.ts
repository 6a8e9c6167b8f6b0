import {describe, expect, it} from 'vitest'

import {
  legacyKeysBySection,
  legacyKeysIn,
  legacySectionRefusal,
  migrateLegacyKeys,
  planLegacyMigration,
} from '../../../src/runtime/config/schema/legacy.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'

type Tree = Record<string, unknown>

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

const rows: Array<{name: string; input: Tree; output: Tree; legacyKeys: string[]}> = [
  {name: 'routing.bindings → bindings', input: {routing: {bindings: [{agentId: 'main', match: {channel: 'telegram'}}]}}, output: {bindings: [{agentId: 'main', match: {channel: 'telegram'}}]}, legacyKeys: ['routing.bindings']},
  {name: 'routing.queue → messages.queue', input: {routing: {queue: {mode: 'followup'}}}, output: {messages: {queue: {mode: 'followup'}}}, legacyKeys: ['routing.queue']},
  {
    name: 'routing.agents + defaultAgentId → agents.list with default',
    input: {routing: {agents: {home: {name: 'Home'}, work: {workspace: '~/w'}}, defaultAgentId: 'work'}},
    output: {agents: {list: [{id: 'home', name: 'Home'}, {id: 'work', workspace: '~/w', default: true}]}},
    legacyKeys: ['routing.agents', 'routing.defaultAgentId'],
  },
  {name: 'routing.defaultAgentId main with no list', input: {routing: {defaultAgentId: 'main'}}, output: {}, legacyKeys: ['routing.defaultAgentId']},
  {name: 'routing.defaultAgentId names a new agent', input: {routing: {defaultAgentId: 'ops'}}, output: {agents: {list: [{id: 'ops', default: true}]}}, legacyKeys: ['routing.defaultAgentId']},
  {
    name: 'agents.entries → agents.list (order kept)',
    input: {agents: {defaults: {timeoutSeconds: 60}, entries: {b: {name: 'B'}, a: {}}}},
    output: {agents: {defaults: {timeoutSeconds: 60}, list: [{id: 'b', name: 'B'}, {id: 'a'}]}},
    legacyKeys: ['agents.entries'],
  },
  {name: 'agent.* → agents.defaults.*', input: {agent: {workspace: '~/ws', timeoutSeconds: 30}}, output: {agents: {defaults: {workspace: '~/ws', timeoutSeconds: 30}}}, legacyKeys: ['agent.workspace', 'agent.timeoutSeconds']},
  {name: 'agent.tools → tools', input: {agent: {tools: {deny: ['exec']}}}, output: {tools: {deny: ['exec']}}, legacyKeys: ['agent.tools']},
  {
    name: 'agent.model + agent.modelFallbacks → agents.defaults.model',
    input: {agent: {model: 'openai/gpt-4o', modelFallbacks: ['anthropic/claude']}},
    output: {agents: {defaults: {model: {primary: 'openai/gpt-4o', fallbacks: ['anthropic/claude']}}}},
    legacyKeys: ['agent.model', 'agent.modelFallbacks'],
  },
  {name: 'agent.model alone', input: {agent: {model: 'openai/gpt-4o'}}, output: {agents: {defaults: {model: {primary: 'openai/gpt-4o', fallbacks: []}}}}, legacyKeys: ['agent.model']},
  {name: 'top-level defaultModel', input: {defaultModel: 'openai/gpt-4o'}, output: {agents: {defaults: {model: {primary: 'openai/gpt-4o', fallbacks: []}}}}, legacyKeys: ['defaultModel']},
  {
    name: 'agent.modelAliases + agent.allowedModels → agents.defaults.models',
    input: {agent: {modelAliases: {sonnet: 'anthropic/claude-sonnet-4'}, allowedModels: ['anthropic/claude-sonnet-4', 'openai/gpt-4o']}},
    output: {agents: {defaults: {models: {'anthropic/claude-sonnet-4': {alias: 'sonnet'}, 'openai/gpt-4o': {}}}}},
    legacyKeys: ['agent.modelAliases', 'agent.allowedModels'],
  },
  {name: 'identity → default agent (implicit main)', input: {identity: {name: 'Claw', emoji: '🦞'}}, output: {agents: {list: [{id: 'main', identity: {name: 'Claw', emoji: '🦞'}}]}}, legacyKeys: ['identity']},
  {
    name: 'identity → the entry with default: true',
    input: {identity: {name: 'Claw'}, agents: {list: [{id: 'a'}, {id: 'b', default: true}]}},
    output: {agents: {list: [{id: 'a'}, {id: 'b', default: true, identity: {name: 'Claw'}}]}},
    legacyKeys: ['identity'],
  },
  {
    name: 'routing.groupChat → messages.groupChat and telegram groups."*"',
    input: {routing: {groupChat: {historyLimit: 20, mentionPatterns: ['claw'], requireMention: false}}, channels: {telegram: {}}},
    output: {messages: {groupChat: {historyLimit: 20, mentionPatterns: ['claw']}}, channels: {telegram: {groups: {'*': {requireMention: false}}}}},
    legacyKeys: ['routing.groupChat.historyLimit', 'routing.groupChat.mentionPatterns', 'routing.groupChat.requireMention'],
  },
  {name: 'routing.groupChat.requireMention without telegram is dropped', input: {routing: {groupChat: {requireMention: true}}}, output: {}, legacyKeys: ['routing.groupChat.requireMention']},
  {name: 'channels.telegram.requireMention', input: {channels: {telegram: {requireMention: false, dmPolicy: 'pairing'}}}, output: {channels: {telegram: {dmPolicy: 'pairing', groups: {'*': {requireMention: false}}}}}, legacyKeys: ['channels.telegram.requireMention']},
  {
    name: 'bindings[].match.accountID → accountId (also after routing.bindings)',
    input: {routing: {bindings: [{agentId: 'main', match: {channel: 'telegram', accountID: 'alt'}}]}},
    output: {bindings: [{agentId: 'main', match: {channel: 'telegram', accountId: 'alt'}}]},
    legacyKeys: ['routing.bindings', 'bindings[0].match.accountID'],
  },
  {name: 'session.idleMinutes → session.reset', input: {session: {idleMinutes: 90, scope: 'per-sender'}}, output: {session: {scope: 'per-sender', reset: {mode: 'idle', idleMinutes: 90}}}, legacyKeys: ['session.idleMinutes']},
  {name: 'session.resetByType.dm → direct', input: {session: {resetByType: {dm: {mode: 'idle', idleMinutes: 30}, group: {mode: 'none'}}}}, output: {session: {resetByType: {group: {mode: 'none'}, direct: {mode: 'idle', idleMinutes: 30}}}}, legacyKeys: ['session.resetByType.dm']},
  {name: 'leftover routing keys stay (reported by validation)', input: {routing: {bindings: [], allowFrom: ['+1']}}, output: {routing: {allowFrom: ['+1']}, bindings: []}, legacyKeys: ['routing.bindings']},
]

describe('migrateLegacyKeys: each §13 row', () => {
  it.each(rows)('$name', ({input, output, legacyKeys}) => {
    const frozen = deepFreeze(structuredClone(input))
    const result = migrateLegacyKeys(frozen)
    expect(result.tree).toEqual(output)
    expect(result.legacyKeys).toEqual(legacyKeys)
    expect(frozen).toEqual(input)
  })

  it.each(rows)('is a no-op on its own output: $name', ({input}) => {
    const once = migrateLegacyKeys(input).tree
    const twice = migrateLegacyKeys(once)
    expect(twice.legacyKeys).toEqual([])
    expect(twice.tree).toBe(once)
  })
})

const conflicts: Array<{name: string; input: Tree; output: Tree; conflict: string}> = [
  {name: 'routing.bindings vs bindings', input: {routing: {bindings: [{agentId: 'a', match: {channel: 't'}}]}, bindings: []}, output: {bindings: []}, conflict: 'routing.bindings'},
  {name: 'agent.model vs agents.defaults.model', input: {agent: {model: 'x/old'}, agents: {defaults: {model: 'x/new'}}}, output: {agents: {defaults: {model: 'x/new'}}}, conflict: 'agent.model'},
  {name: 'agents.entries id already listed', input: {agents: {list: [{id: 'a', name: 'New'}], entries: {a: {name: 'Old'}, b: {}}}}, output: {agents: {list: [{id: 'a', name: 'New'}, {id: 'b'}]}}, conflict: 'agents.entries'},
  {name: 'routing.defaultAgentId vs another default', input: {routing: {defaultAgentId: 'b'}, agents: {list: [{id: 'a', default: true}, {id: 'b'}]}}, output: {agents: {list: [{id: 'a', default: true}, {id: 'b'}]}}, conflict: 'routing.defaultAgentId'},
  {name: 'accountID vs accountId', input: {bindings: [{agentId: 'main', match: {channel: 't', accountID: 'x', accountId: 'y'}}]}, output: {bindings: [{agentId: 'main', match: {channel: 't', accountId: 'y'}}]}, conflict: 'bindings[0].match.accountID'},
  {name: 'session.idleMinutes vs session.reset', input: {session: {idleMinutes: 5, reset: {mode: 'daily'}}}, output: {session: {reset: {mode: 'daily'}}}, conflict: 'session.idleMinutes'},
  {name: 'agent.heartbeat merges, destination wins per key', input: {agent: {heartbeat: {every: '1h', target: 'none'}}, agents: {defaults: {heartbeat: {every: '2h'}}}}, output: {agents: {defaults: {heartbeat: {every: '2h', target: 'none'}}}}, conflict: 'agent.heartbeat'},
]

describe('planLegacyMigration: the destination wins', () => {
  it.each(conflicts)('$name', ({input, output, conflict}) => {
    const plan = planLegacyMigration(deepFreeze(structuredClone(input)))
    expect(plan.tree).toEqual(output)
    expect(plan.legacyKeys).toContain(conflict)
    expect(plan.changes).toContainEqual(expect.objectContaining({from: conflict, kind: 'conflict'}))
  })

  it('marks clean moves and drops', () => {
    const plan = planLegacyMigration({routing: {queue: {cap: 5}, groupChat: {requireMention: true}}})
    expect(plan.changes).toEqual([
      {from: 'routing.queue', to: 'messages.queue', kind: 'moved'},
      {from: 'routing.groupChat.requireMention', kind: 'dropped'},
    ])
  })

  it('returns the input itself when nothing is legacy', () => {
    const tree = {gateway: {port: 1}}
    expect(planLegacyMigration(tree)).toEqual({tree, legacyKeys: [], changes: []})
    expect(planLegacyMigration(tree).tree).toBe(tree)
  })
})

describe('legacy helpers for doctor and owned writes', () => {
  it('legacyKeysIn lists the legacy keys', () => {
    expect(legacyKeysIn({agents: {entries: {a: {}}}, agent: {model: 'x/y'}})).toEqual(['agents.entries', 'agent.model'])
  })

  it('groups legacy keys by top-level section', () => {
    expect(legacyKeysBySection(['agents.entries', 'routing.bindings', 'routing.queue', 'bindings[0].match.accountID'])).toEqual(
      new Map([['agents', ['agents.entries']], ['routing', ['routing.bindings', 'routing.queue']], ['bindings', ['bindings[0].match.accountID']]]),
    )
  })

  it.each([
    ['agents', 'agents uses legacy keys (agents.entries); rename them by hand first (docs/errors.md, CONFIG_EDIT_REFUSED lists the current keys)'],
    ['gateway', null],
  ])('refusal for an edit in %s', (section, message) => {
    expect(legacySectionRefusal(['agents.entries'], section)).toBe(message)
  })

  it('a typical upstream config migrates to a valid one', () => {
    const upstream = {
      agent: {model: 'anthropic/claude-sonnet-4', modelFallbacks: ['openai/gpt-4o'], workspace: '~/clawd', tools: {deny: ['exec']}},
      routing: {bindings: [{agentId: 'main', match: {channel: 'telegram', accountID: 'default'}}], queue: {mode: 'collect'}},
      identity: {name: 'Clawd'},
      session: {idleMinutes: 120, resetByType: {dm: {mode: 'daily', atHour: 5}}},
      channels: {telegram: {botToken: '1:abc', requireMention: true}},
    }
    const {tree, legacyKeys} = migrateLegacyKeys(upstream)
    expect(legacyKeys).toHaveLength(11)
    expect(validateConfigTree(tree).issues).toEqual([])
  })
})
