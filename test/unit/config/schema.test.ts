import {describe, expect, it} from 'vitest'

import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import {configJsonSchema} from '../../../src/runtime/config/schema/json-schema.js'
import {renderConfigReference} from '../../../src/runtime/config/schema/reference-doc.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'
import {defOf, layeredMeta, unwrap, type SchemaNode} from '../../../src/runtime/config/schema/walk.js'

function at(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree)
}

const defaults: Array<[string, unknown]> = [
  ['gateway.port', 18789],
  ['gateway.bind', 'loopback'],
  ['gateway.auth.rateLimit', {maxAttempts: 10, windowMs: 60000, lockoutMs: 300000, exemptLoopback: true}],
  ['gateway.reload', {mode: 'hybrid', debounceMs: 300}],
  ['gateway.controlUi', {enabled: true, basePath: '/'}],
  ['gateway.auth.mode', undefined],
  ['agents.defaults.thinkingDefault', 'off'],
  ['agents.defaults.timeoutSeconds', 600],
  ['agents.defaults.maxConcurrent', 4],
  ['agents.defaults.bootstrapMaxChars', 20000],
  ['agents.defaults.bootstrapTotalMaxChars', 150000],
  ['agents.defaults.heartbeat', {every: '30m', target: 'last', ackMaxChars: 300}],
  ['agents.defaults.sandbox', {mode: 'off', scope: 'session'}],
  ['agents.defaults.compaction', {enabled: true, reserveTokens: 16384, keepRecentTokens: 20000}],
  ['agents.defaults.workspace', undefined],
  ['agents.list', []],
  ['bindings', []],
  ['session.scope', 'per-sender'],
  ['session.dmScope', 'main'],
  ['session.mainKey', 'main'],
  ['session.reset', {mode: 'daily', atHour: 4}],
  ['session.resetTriggers', ['/new', '/reset']],
  ['session.maintenance', {mode: 'warn', pruneAfter: '30d', maxEntries: 500}],
  ['models', {mode: 'merge', providers: {}}],
  ['channels', {}],
  ['tools.exec', {timeoutSec: 1800, yieldMs: 10000, security: 'allowlist', ask: 'on-miss', safeBins: ['ls', 'cat', 'head', 'tail', 'wc', 'grep', 'sort', 'uniq', 'cut', 'tr', 'echo', 'pwd', 'date', 'which', 'jq', 'diff']}],
  ['tools.fs.workspaceOnly', true],
  ['tools.web.fetch.enabled', true],
  ['tools.elevated', {enabled: false, allowFrom: {}}],
  ['logging', {level: 'info', consoleLevel: 'info', redactSensitive: 'tools', redactPatterns: [], maxFileBytes: 10485760}],
  ['env', {vars: {}, shellEnv: {enabled: false, timeoutMs: 15000}}],
  ['diagnostics', {enabled: true, flags: []}],
  ['hooks.path', '/hooks'],
  ['hooks.maxBodyBytes', 262144],
  ['cron', {enabled: true, maxConcurrentRuns: 1, sessionRetention: '24h', runLog: {maxBytes: 2000000, keepLines: 2000}}],
  ['messages.queue', {mode: 'collect', debounceMs: 1000, cap: 20}],
  ['commands', {config: false, debug: false, restart: true, bash: false}],
  ['auth', {profiles: {}, order: {}}],
  ['plugins', undefined],
]

describe('ConfigSchema defaults', () => {
  const config = ConfigSchema.parse({})
  it.each(defaults)('%s', (path, value) => {
    expect(at(config, path)).toEqual(value)
  })

  it('fills channels.telegram defaults once the block exists', () => {
    const telegram = ConfigSchema.parse({channels: {telegram: {}}}).channels.telegram
    expect(telegram).toMatchObject({
      enabled: true, dmPolicy: 'pairing', allowFrom: [], groupPolicy: 'allowlist', historyLimit: 50, replyToMode: 'off',
      streaming: 'partial', textChunkLimit: 4000, chunkMode: 'length', linkPreview: true, mediaMaxMb: 5,
      reactionNotifications: 'own', webhookPath: '/telegram-webhook', webhookHost: '127.0.0.1', webhookPort: 8787,
      configWrites: true, customCommands: [], retry: {attempts: 3, minDelayMs: 400, maxDelayMs: 30000, jitter: 0.1},
      apiRoot: 'https://api.telegram.org',
    })
  })

  it('leaves account keys unset so they inherit the top level', () => {
    const telegram = ConfigSchema.parse({channels: {telegram: {accounts: {alt: {}, custom: {retry: {attempts: 5}}}}}}).channels.telegram
    expect(telegram?.accounts?.alt).toEqual({})
    expect(telegram?.accounts?.custom).toEqual({retry: {attempts: 5, minDelayMs: 400, maxDelayMs: 30000, jitter: 0.1}})
  })

  it('fills model entry defaults', () => {
    const config = ConfigSchema.parse({models: {providers: {x: {baseUrl: 'http://h/v1', models: [{id: 'm', name: 'M', cost: {}}]}}}})
    expect(config.models.providers.x.models?.[0]).toEqual({
      id: 'm', name: 'M', reasoning: false, input: ['text'], contextWindow: 200000, maxTokens: 8192,
      cost: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0},
    })
  })
})

/** Every object in the schema with its path, through wrappers, arrays, maps and unions. */
function objects(node: SchemaNode, path: string, out: Array<{path: string; node: SchemaNode}> = []): typeof out {
  const value = unwrap(node).node
  const def = defOf(value)
  if (def.type === 'object') {
    out.push({path, node: value})
    for (const [key, child] of Object.entries(def.shape ?? {})) objects(child, `${path}.${key}`, out)
  } else if (def.type === 'record' && def.valueType) objects(def.valueType, `${path}.<id>`, out)
  else if (def.type === 'array' && def.element) objects(def.element, `${path}[]`, out)
  else if (def.type === 'union') for (const option of def.options ?? []) objects(option, path, out)
  return out
}

describe('ConfigSchema shape', () => {
  const all = objects(ConfigSchema, '(root)')

  it('has a description on every key', () => {
    const missing = all.flatMap(({path, node}) =>
      Object.entries(defOf(node).shape ?? {}).filter(([, child]) => !layeredMeta(unwrap(child)).description).map(([key]) => `${path}.${key}`),
    )
    expect(missing).toEqual([])
  })

  it('makes every object strict (env alone takes string sugar keys)', () => {
    const open = all.filter(({node}) => defOf(node).catchall === undefined || defOf(defOf(node).catchall as SchemaNode).type !== 'never').map(({path}) => path)
    expect(open).toEqual(['(root).env'])
  })

  it('accepts a full config', () => {
    const full = {
      $schema: './schema.json',
      meta: {lastTouchedVersion: '0.1.0', lastTouchedAt: '2026-05-01T08:15:00.000Z'},
      wizard: {lastRunAt: '2026-05-01T08:00:00.000Z', lastRunMode: 'local', lastRunFlow: 'quickstart'},
      env: {vars: {A: '1'}, B: '2', shellEnv: {enabled: false}},
      diagnostics: {flags: ['telegram.*']},
      logging: {level: 'debug', file: '~/logs/oc.log', consoleStyle: 'json', redactPatterns: ['x+']},
      gateway: {port: 19001, mode: 'local', bind: 'lan', auth: {mode: 'token', token: 't'}, reload: {mode: 'hot'}, remote: {url: 'wss://gw.example', token: 'r'}, controlUi: {basePath: '/ui'}},
      agents: {
        defaults: {workspace: '~/ws', model: {primary: 'anthropic/claude-sonnet-4'}, models: {'anthropic/claude-sonnet-4': {alias: 'sonnet', params: {temperature: 0.2}}}, heartbeat: {every: '1h', activeHours: {start: '08:00', end: '22:00'}}, compaction: {enabled: false}},
        list: [{id: 'main', default: true, identity: {name: 'Claw'}, tools: {deny: ['exec']}}, {id: 'work', model: 'sonnet', heartbeat: {every: '0m'}, sandbox: {mode: 'all'}}],
      },
      bindings: [{agentId: 'work', comment: 'work group', type: 'route', match: {channel: 'telegram', peer: {kind: 'group', id: '-100123'}}}],
      session: {dmScope: 'per-peer', identityLinks: {ana: ['telegram:1']}, resetByType: {group: {mode: 'idle', idleMinutes: 60}}, resetByChannel: {telegram: {atHour: 3}}},
      models: {providers: {ollama: {baseUrl: 'http://127.0.0.1:11434/v1', api: 'openai-completions', compat: {streamToolCalls: false}, models: [{id: 'llama3', name: 'Llama 3', contextWindow: 8192}]}}},
      channels: {telegram: {botToken: '${TG_TOKEN}', dmPolicy: 'allowlist', allowFrom: [123], groups: {'*': {requireMention: true}}, customCommands: [{command: 'stats', description: 'Show stats'}]}},
      tools: {profile: 'coding', byProvider: {'openai/gpt-4o': {deny: ['web_fetch']}}, exec: {security: 'full', ask: 'always'}, fs: {workspaceOnly: false}, web: {fetch: {enabled: false}}},
      hooks: {enabled: true, token: 'h', mappings: [{match: {path: 'gmail'}, action: 'agent', agentId: 'main'}]},
      cron: {store: '~/cron.json', webhookToken: 'c'},
      auth: {profiles: {'anthropic:default': {provider: 'anthropic', mode: 'api_key'}}, order: {anthropic: ['anthropic:default']}},
      messages: {responsePrefix: '🦞', queue: {mode: 'steer'}, groupChat: {mentionPatterns: ['claw']}},
      commands: {native: true, allowFrom: {telegram: ['123']}, ownerAllowFrom: ['123']},
      plugins: {enabled: false, entries: {x: {enabled: false, config: {a: 1}}}},
    }
    expect(validateConfigTree(full).issues).toEqual([])
  })
})

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

  it('is draft 2020-12 with the root strict and $schema allowed', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.type).toBe('object')
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.$schema.type).toBe('string')
  })

  it('carries descriptions and defaults (gateway.port)', () => {
    expect(schema.properties.gateway.properties.port).toMatchObject({type: 'integer', minimum: 1, maximum: 65535, default: 18789})
    expect(schema.properties.gateway.properties.port.description).toMatch(/port/i)
    expect(schema.properties.gateway.required ?? []).not.toContain('port')
  })

  it('marks secrets writeOnly and leaks none of our private metadata keys', () => {
    expect(schema.properties.gateway.properties.auth.properties.token.writeOnly).toBe(true)
    const text = JSON.stringify(schema)
    for (const key of ['"secret":', '"typeLabel":', '"expected":', '"docCollapse":']) expect(text).not.toContain(key)
  })

  it('is self-contained (shared zod nodes are inlined, not referenced)', () => {
    expect(JSON.stringify(schema)).not.toMatch(/"\$(ref|defs)"/)
  })

  it('is built per call and never shared', () => {
    const again = configJsonSchema()
    expect(again).toEqual(schema)
    expect(again).not.toBe(schema)
  })

  it('keeps enums and open maps from the zod schema', () => {
    expect(schema.properties.gateway.properties.bind.enum).toEqual(['loopback', 'lan', 'custom', 'auto'])
    expect(schema.properties.env.additionalProperties).toEqual({type: 'string', description: 'A variable (sugar for env.vars.<NAME>).'})
    expect(schema.properties.models.properties.providers.additionalProperties).toMatchObject({type: 'object', additionalProperties: false})
  })
})

describe('renderConfigReference', () => {
  const doc = renderConfigReference()

  it('has a section per root key', () => {
    for (const key of Object.keys(defOf(ConfigSchema).shape ?? {})) expect(doc).toContain(`### \`${key}\``)
  })

  it.each([
    ['| `port` | int 1–65535 | `18789` |'],
    ['| `bind` | loopback \\| lan \\| custom \\| auto | `"loopback"` |'],
    ['| `auth.token` | secret | — |'],
    ['| `list[].id` | id | — |'],
    ['| `providers.<id>.baseUrl` | URL | — |'],
    ['| `telegram.allowFrom` | (string \\| number)[] | `[]` |'],
    ['| `telegram.accounts` | map → object | — |'],
    ['| `<NAME>` | string | — |'],
  ])('has the row %s', (row) => {
    expect(doc).toContain(row)
  })

  it('is deterministic', () => {
    expect(renderConfigReference()).toBe(doc)
  })
})
