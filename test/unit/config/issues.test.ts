import {describe, expect, it} from 'vitest'

import {formatConfigPath, formatIssue, invalidConfigError, type ConfigIssue} from '../../../src/runtime/config/issues.js'

const home = '/home/ana'

describe('formatConfigPath', () => {
  it.each([
    [['gateway', 'port'], 'gateway.port'],
    [['agents', 'list', 0, 'id'], 'agents.list[0].id'],
    [['models', 'providers', 'my.host', 'baseUrl'], 'models.providers["my.host"].baseUrl'],
    [['channels', 'telegram', 'groups', '-1001234'], 'channels.telegram.groups["-1001234"]'],
    [[], ''],
  ] as const)('%j → %s', (segments, rendered) => {
    expect(formatConfigPath(segments)).toBe(rendered)
  })
})

describe('formatIssue', () => {
  it.each<[ConfigIssue, string]>([
    [{path: 'gateway.port', message: 'expected an integer from 1 to 65535, received "abc"', code: 'CONFIG_INVALID'}, 'gateway.port: expected an integer from 1 to 65535, received "abc"'],
    [
      {path: 'channels.telegram.botToken', message: 'environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN})', file: '/home/ana/.openclaw/telegram.json5', code: 'CONFIG_ENV_MISSING'},
      'channels.telegram.botToken: environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN}) [in ~/.openclaw/telegram.json5]',
    ],
    // A root-level issue already names the file; no empty path prefix.
    [{path: '', message: '~/.openclaw/openclaw.json:3:3: invalid character \'x\'', code: 'CONFIG_PARSE'}, "~/.openclaw/openclaw.json:3:3: invalid character 'x'"],
  ])('%j', (issue, text) => {
    expect(formatIssue(issue, home)).toBe(text)
  })
})

describe('invalidConfigError', () => {
  it('uses the shared code when every issue has it, CONFIG_INVALID otherwise', () => {
    const parse: ConfigIssue = {path: '', message: 'x', code: 'CONFIG_PARSE'}
    const schema: ConfigIssue = {path: 'gateway.port', message: 'y', code: 'CONFIG_INVALID'}
    expect(invalidConfigError('/home/ana/.openclaw/openclaw.json', [parse], home).code).toBe('CONFIG_PARSE')
    const mixed = invalidConfigError('/home/ana/.openclaw/openclaw.json', [parse, schema], home, 78)
    expect(mixed.code).toBe('CONFIG_INVALID')
    expect(mixed.exitCode).toBe(78)
    expect(mixed.message).toBe('Config ~/.openclaw/openclaw.json is invalid (2 issues):')
    expect(mixed.details.issues).toHaveLength(2)
  })
})
