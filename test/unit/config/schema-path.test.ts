import {describe, expect, it} from 'vitest'

import type {PathSegment} from '../../../src/runtime/config/issues.js'
import {describeConfigPath, isSecretConfigPath} from '../../../src/runtime/config/schema/index.js'

type Expect = Partial<ReturnType<typeof describeConfigPath>>

const cases: Array<{name: string; path: PathSegment[]; expected: Expect}> = [
  {name: 'leaf with default', path: ['gateway', 'port'], expected: {known: true, hasDefault: true, defaultValue: 18789, isSecret: false, acceptsString: false, stringOnly: false}},
  {name: 'enum leaf', path: ['gateway', 'bind'], expected: {known: true, defaultValue: 'loopback', acceptsString: true, stringOnly: true}},
  {name: 'leaf without default', path: ['gateway', 'mode'], expected: {known: true, hasDefault: false}},
  {name: 'section default is the defaulted object', path: ['gateway', 'reload'], expected: {known: true, hasDefault: true, defaultValue: {mode: 'hybrid', debounceMs: 300}}},
  {name: 'nested default under an absent optional section', path: ['channels', 'telegram', 'dmPolicy'], expected: {known: true, hasDefault: true, defaultValue: 'pairing'}},
  {name: 'optional section without default', path: ['channels', 'telegram'], expected: {known: true, hasDefault: false}},
  {name: 'account keys inherit (no default)', path: ['channels', 'telegram', 'accounts', 'work', 'dmPolicy'], expected: {known: true, hasDefault: false}},
  {name: 'secret field', path: ['gateway', 'auth', 'token'], expected: {known: true, isSecret: true, acceptsString: true, stringOnly: true}},
  {name: 'open map value', path: ['models', 'providers', 'my.host', 'baseUrl'], expected: {known: true, stringOnly: true}},
  {name: 'open map with an all-digit key', path: ['channels', 'telegram', 'groups', '-100', 'topics', 5, 'requireMention'], expected: {known: true, acceptsString: false}},
  {name: 'array element', path: ['agents', 'list', 0, 'id'], expected: {known: true, stringOnly: true}},
  {name: 'sender id: string or number', path: ['channels', 'telegram', 'allowFrom', 0], expected: {known: true, acceptsString: true, stringOnly: false}},
  {name: 'through a union', path: ['agents', 'defaults', 'model', 'primary'], expected: {known: true, stringOnly: true}},
  {name: 'union slot', path: ['agents', 'defaults', 'model'], expected: {known: true, acceptsString: true, stringOnly: false}},
  {name: 'duration with default', path: ['cron', 'sessionRetention'], expected: {known: true, defaultValue: '24h', acceptsString: true, stringOnly: false}},
  {name: 'env sugar key (catchall)', path: ['env', 'MY_VAR'], expected: {known: true, stringOnly: true}},
  {name: 'params values are unchecked', path: ['agents', 'defaults', 'models', 'a/b', 'params', 'temperature'], expected: {known: true, acceptsString: true, stringOnly: false}},
  {name: 'root $schema', path: ['$schema'], expected: {known: true, stringOnly: true}},
  {name: 'the root', path: [], expected: {known: true, hasDefault: false}},
  {name: 'typo with suggestion', path: ['gateway', 'prot'], expected: {known: false, suggestion: 'gateway.port'}},
  {name: 'typo in a section keeps the rest', path: ['gatway', 'port'], expected: {known: false, suggestion: 'gateway.port'}},
  {name: 'typo deep in the path', path: ['gateway', 'auth', 'rateLimit', 'maxAttempt'], expected: {known: false, suggestion: 'gateway.auth.rateLimit.maxAttempts'}},
  {name: 'unknown without suggestion', path: ['gateway', 'zzzzzz'], expected: {known: false, suggestion: undefined}},
  {name: 'index into an object', path: ['gateway', 0], expected: {known: false, suggestion: undefined}},
  {name: 'below a leaf', path: ['gateway', 'port', 'x'], expected: {known: false}},
  {name: 'unknown channel', path: ['channels', 'discord', 'token'], expected: {known: false, isSecret: true}},
]

describe('describeConfigPath', () => {
  it.each(cases)('$name', ({path, expected}) => {
    expect(describeConfigPath(path)).toMatchObject(expected)
  })

  it('returns a fresh default each time (callers may mutate it)', () => {
    const a = describeConfigPath(['session', 'resetTriggers']).defaultValue as string[]
    a.push('/x')
    expect(describeConfigPath(['session', 'resetTriggers']).defaultValue).toEqual(['/new', '/reset'])
  })
})

const secrets: Array<[string, PathSegment[], boolean]> = [
  ['gateway token (typed secret)', ['gateway', 'auth', 'token'], true],
  ['gateway password', ['gateway', 'auth', 'password'], true],
  ['remote token', ['gateway', 'remote', 'token'], true],
  ['telegram bot token', ['channels', 'telegram', 'botToken'], true],
  ['telegram account bot token', ['channels', 'telegram', 'accounts', 'a', 'botToken'], true],
  ['webhook secret', ['channels', 'telegram', 'webhookSecret'], true],
  ['provider api key', ['models', 'providers', 'openai', 'apiKey'], true],
  ['hooks token', ['hooks', 'token'], true],
  ['cron webhook token', ['cron', 'webhookToken'], true],
  ['by name under models.providers (unknown key)', ['models', 'providers', 'x', 'headers', 'key'], true],
  ['by name under channels (unknown channel)', ['channels', 'slack', 'password'], true],
  ['by name: secret', ['channels', 'telegram', 'secret'], true],
  ['port', ['gateway', 'port'], false],
  ['tokenFile is a path, not a secret', ['channels', 'telegram', 'tokenFile'], false],
  ['"token" outside providers/channels is not secret by name', ['session', 'token'], false],
  ['the gateway section itself', ['gateway'], false],
]

describe('isSecretConfigPath', () => {
  it.each(secrets)('%s', (_name, path, expected) => {
    expect(isSecretConfigPath(path)).toBe(expected)
  })
})
