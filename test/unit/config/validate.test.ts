import {describe, expect, it} from 'vitest'

import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'

/** Issues rendered `path: message`, sorted (the order of zod issues and rule issues is not a contract). */
function rendered(tree: unknown): string[] {
  return validateConfigTree(tree).issues.map((i) => `${i.path}: ${i.message}`).sort()
}

const TG = (telegram: Record<string, unknown>) => ({channels: {telegram}})

const valid: Array<{name: string; tree: unknown}> = [
  {name: 'empty config', tree: {}},
  {name: '$schema at the root', tree: {$schema: 'https://example.com/openclaw.schema.json'}},
  {name: 'custom bind with host', tree: {gateway: {bind: 'custom', customBindHost: '100.64.0.1'}}},
  {name: 'token and password with a mode', tree: {gateway: {auth: {mode: 'token', token: 't', password: 'p'}}}},
  {name: 'model as primary + fallbacks', tree: {agents: {defaults: {model: {primary: 'openai/gpt-4o', fallbacks: ['anthropic/claude']}}}}},
  {name: 'model alias', tree: {agents: {defaults: {model: 'sonnet', models: {'anthropic/claude-sonnet-4': {alias: 'sonnet'}}}}}},
  {name: 'binding to implicit main', tree: {bindings: [{agentId: 'main', match: {channel: 'telegram'}}]}},
  {name: 'binding to a listed agent', tree: {agents: {list: [{id: 'work'}]}, bindings: [{agentId: 'work', match: {channel: 'telegram', accountId: '*', peer: {kind: 'direct', id: '42'}}}]}},
  {name: 'telegram open with *', tree: TG({dmPolicy: 'open', allowFrom: ['*']})},
  {name: 'telegram allowFrom forms', tree: TG({dmPolicy: 'allowlist', allowFrom: [123, '456', 'tg:7', 'TELEGRAM:8', '@alice_bob']})},
  {name: 'telegram webhook with secret', tree: TG({webhookUrl: 'https://bot.example.com/tg', webhookSecret: 'abc_DEF-123'})},
  {name: 'telegram accounts with default account', tree: TG({accounts: {main: {botToken: '1:a'}, alt: {tokenFile: '~/t'}}, defaultAccount: 'alt'})},
  {name: 'telegram groups and topics', tree: TG({groups: {'-1001234': {requireMention: false, topics: {'5': {agentId: 'main'}, '*': {enabled: false}}}, '*': {}}})},
  {name: 'preset provider without baseUrl', tree: {models: {providers: {openai: {apiKey: 'sk-x'}}}}},
  {name: 'custom provider with models', tree: {models: {providers: {local: {baseUrl: 'http://127.0.0.1:8080/v1', models: [{id: 'm', name: 'M', input: ['text', 'image']}]}}}}},
  {name: 'hooks enabled with token', tree: {hooks: {enabled: true, token: 'h'}}},
  {name: 'cron sessionRetention false', tree: {cron: {sessionRetention: false}}},
  {name: 'env sugar and vars', tree: {env: {FOO: 'x', vars: {BAR: 'y'}, shellEnv: {enabled: true}}}},
  {name: 'commands.native auto', tree: {commands: {native: 'auto', allowFrom: {telegram: ['1']}}}},
  {name: 'valid regexes', tree: {logging: {redactPatterns: ['secret-\\d+']}, messages: {groupChat: {mentionPatterns: ['\\bbot\\b']}}}},
  {name: 'time zones (canonical, UTC, alias)', tree: {agents: {list: [{id: 'a', heartbeat: {activeHours: {start: '00:00', end: '24:00', timezone: 'Asia/Calcutta'}}}], defaults: {userTimezone: 'Europe/Berlin', heartbeat: {activeHours: {start: '08:00', end: '22:30', timezone: 'UTC'}}}}}},
]

describe('validateConfigTree: valid configs', () => {
  it.each(valid)('$name', ({tree}) => {
    const result = validateConfigTree(tree)
    expect(result.issues).toEqual([])
    expect(result.config).not.toBeNull()
  })
})

const invalid: Array<{name: string; tree: unknown; issues: string[]}> = [
  // §6.3 wording: expected …, received …
  {name: 'port not a number', tree: {gateway: {port: 'abc'}}, issues: ['gateway.port: expected an integer from 1 to 65535, received "abc"']},
  {name: 'port out of range', tree: {gateway: {port: 70000}}, issues: ['gateway.port: expected an integer from 1 to 65535, received 70000']},
  {name: 'port not an integer', tree: {gateway: {port: 1.5}}, issues: ['gateway.port: expected an integer from 1 to 65535, received 1.5']},
  {name: 'enum value', tree: {gateway: {bind: 'x'}}, issues: ['gateway.bind: expected one of loopback|lan|custom|auto, received "x"']},
  {name: 'tailnet bind', tree: {gateway: {bind: 'tailnet'}}, issues: ['gateway.bind: expected one of loopback|lan|custom|auto, received "tailnet"; use bind "custom" with customBindHost set to your Tailscale IPv4']},
  {name: 'boolean', tree: {diagnostics: {enabled: 'yes'}}, issues: ['diagnostics.enabled: expected a boolean, received "yes"']},
  {name: 'array expected', tree: {tools: {deny: 'exec'}}, issues: ['tools.deny: expected an array, received "exec"']},
  {name: 'object expected', tree: {gateway: 5}, issues: ['gateway: expected an object, received 5']},
  {name: 'root not an object', tree: [], issues: [': expected an object, received an array']},
  {name: 'duration', tree: {session: {maintenance: {pruneAfter: '30 days'}}}, issues: ['session.maintenance.pruneAfter: expected a duration like 30m (<n>ms, s, m, h or d), received "30 days"']},
  {name: 'duration or false', tree: {cron: {sessionRetention: 'abc'}}, issues: ['cron.sessionRetention: expected a duration like 30m (<n>ms, s, m, h or d) or false, received "abc"']},
  {name: 'boolean or literal', tree: {commands: {native: 'yes'}}, issues: ['commands.native: expected a boolean or "auto", received "yes"']},
  {name: 'url protocol', tree: {gateway: {remote: {url: 'http://x'}}}, issues: ['gateway.remote.url: expected a ws:// or wss:// URL, received "http://x"']},
  {name: 'ipv4', tree: {gateway: {bind: 'custom', customBindHost: 'my-host'}}, issues: ['gateway.customBindHost: expected an IPv4 address, received "my-host"']},
  {name: 'id pattern', tree: {agents: {list: [{id: 'Work'}]}}, issues: ['agents.list[0].id: expected an id of lower-case letters, digits, _ and - (up to 64 chars, starting with a letter or digit), received "Work"']},
  {name: 'required key', tree: {bindings: [{agentId: 'main'}]}, issues: ['bindings[0].match: required: expected an object, received nothing']},
  {name: 'record key', tree: TG({accounts: {Main: {}}}), issues: ['channels.telegram.accounts.Main: invalid key "Main" (expected an id of lower-case letters, digits, _ and - (up to 64 chars, starting with a letter or digit))']},
  {name: 'number bounds', tree: TG({retry: {jitter: 2}}), issues: ['channels.telegram.retry.jitter: expected a number from 0 to 1, received 2']},
  {name: 'secret value never echoed', tree: TG({webhookUrl: 'https://x.example', webhookSecret: 'has space!'}), issues: ['channels.telegram.webhookSecret: expected 1-256 characters of A-Z, a-z, 0-9, _ and -, received a string of 10 characters']},
  {name: 'secret wrong type', tree: {gateway: {auth: {token: 123}}}, issues: ['gateway.auth.token: expected a non-empty string, received 123']},
  // unions: the branch with the value's kind words the message
  {name: 'model object branch', tree: {agents: {defaults: {model: {primary: 1}}}}, issues: ['agents.defaults.model.primary: expected a model ref like provider/model or an alias, received 1']},
  {name: 'model string branch', tree: {agents: {defaults: {model: ''}}}, issues: ['agents.defaults.model: expected a model ref like provider/model or an alias, received ""']},
  {name: 'sender id kind', tree: TG({allowFrom: [true]}), issues: ['channels.telegram.allowFrom[0]: expected a sender id (string or number), received true']},
  // unknown keys
  {name: 'did you mean', tree: {gateway: {prot: 1}}, issues: ['gateway.prot: unknown key (did you mean "port"?)']},
  {name: 'did you mean (prefix)', tree: {gateway: {auth: {tok: 'x'}}}, issues: ['gateway.auth.tok: unknown key (did you mean "token"?)']},
  {name: 'did you mean at root', tree: {gatway: {}}, issues: ['gatway: unknown key (did you mean "gateway"?)']},
  {name: 'no close key', tree: {gateway: {zzzzzz: 1}}, issues: ['gateway.zzzzzz: unknown key']},
  {name: 'unknown key inside a union branch', tree: {agents: {defaults: {model: {primary: 'a/b', fallback: []}}}}, issues: ['agents.defaults.model.fallback: unknown key (did you mean "fallbacks"?)']},
  {name: 'unknown channel', tree: {channels: {discord: {}}}, issues: ['channels.discord: unknown channel "discord" (no channel plugin provides it)']},
  ...['browser', 'skills', 'talk', 'ui', 'web', 'discovery', 'canvasHost', 'broadcast', 'audio', 'media', 'approvals', 'memory'].map((key) => ({
    name: `unsupported section ${key}`, tree: {[key]: {}}, issues: [`${key}: not supported by this version of openclaw; remove it: openclaw config unset <path>`],
  })),
  {name: 'env sugar must be a string', tree: {env: {FOO: 1}}, issues: ['env.FOO: expected a string, received 1']},
  {name: 'env name', tree: {env: {'MY VAR': 'x'}}, issues: ['env["MY VAR"]: invalid environment variable name (expected [A-Za-z_][A-Za-z0-9_]*)']},
  {name: 'env.vars name', tree: {env: {vars: {'1X': 'x'}}}, issues: ['env.vars["1X"]: invalid key "1X" (expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*))']},
  // §6.2 cross-field rules
  {name: 'custom bind needs host', tree: {gateway: {bind: 'custom'}}, issues: ['gateway.customBindHost: required when gateway.bind is "custom"']},
  {name: 'host only with custom', tree: {gateway: {customBindHost: '10.0.0.1'}}, issues: ['gateway.customBindHost: only allowed when gateway.bind is "custom" (bind is "loopback")']},
  {name: 'token + password need a mode', tree: {gateway: {auth: {token: 't', password: 'p'}}}, issues: ['gateway.auth.mode: required when both gateway.auth.token and gateway.auth.password are set']},
  {name: 'duplicate agent ids', tree: {agents: {list: [{id: 'a'}, {id: 'a'}]}}, issues: ['agents.list[1].id: duplicate agent id "a" (also agents.list[0])']},
  {name: 'two default agents', tree: {agents: {list: [{id: 'a', default: true}, {id: 'b', default: true}]}}, issues: ['agents.list[1].default: only one agent may have default: true (agents.list[0] already does)']},
  {name: 'binding to unknown agent', tree: {agents: {list: [{id: 'a'}]}, bindings: [{agentId: 'main', match: {channel: 'telegram'}}]}, issues: ['bindings[0].agentId: unknown agent "main" (agents.list has: a)']},
  {name: 'binding with empty list', tree: {bindings: [{agentId: 'work', match: {channel: 'telegram'}}]}, issues: ['bindings[0].agentId: unknown agent "work" (agents.list is empty, so only "main" exists)']},
  {name: 'hooks need a token', tree: {hooks: {enabled: true}}, issues: ['hooks.token: required when hooks.enabled is true']},
  {name: 'telegram open without *', tree: TG({dmPolicy: 'open', allowFrom: ['1']}), issues: ['channels.telegram.allowFrom: dmPolicy "open" needs "*" in allowFrom']},
  {name: 'telegram allowlist empty', tree: TG({dmPolicy: 'allowlist'}), issues: ['channels.telegram.allowFrom: dmPolicy "allowlist" needs at least one user id in allowFrom']},
  {name: 'telegram account open without *', tree: TG({accounts: {alt: {dmPolicy: 'open'}}}), issues: ['channels.telegram.accounts.alt.allowFrom: dmPolicy "open" needs "*" in allowFrom']},
  {name: 'telegram account inherits allowFrom', tree: TG({allowFrom: ['*'], accounts: {alt: {dmPolicy: 'open'}}}), issues: []},
  {name: 'botToken and tokenFile', tree: TG({botToken: '1:a', tokenFile: '/t'}), issues: ['channels.telegram.tokenFile: botToken and tokenFile exclude each other; set only one']},
  {name: 'defaultAccount unknown', tree: TG({accounts: {a: {}}, defaultAccount: 'b'}), issues: ['channels.telegram.defaultAccount: "b" is not an account id in channels.telegram.accounts']},
  {name: 'default token twice', tree: TG({botToken: '1:a', accounts: {default: {botToken: '2:b'}}}), issues: ['channels.telegram.accounts.default: token for account "default" is set twice (top-level botToken/tokenFile and accounts.default)']},
  {name: 'webhook needs a secret', tree: TG({webhookUrl: 'https://x.example/hook'}), issues: ['channels.telegram.webhookSecret: required when webhookUrl is set']},
  {name: 'webhook must be https', tree: TG({webhookUrl: 'http://x.example/hook', webhookSecret: 's'}), issues: ['channels.telegram.webhookUrl: expected an https:// URL, received "http://x.example/hook"']},
  {name: 'negative allowFrom id', tree: TG({allowFrom: [-100123]}), issues: ['channels.telegram.allowFrom[0]: allowFrom expects user ids; group chat ids go under channels.telegram.groups']},
  {name: 'garbage allowFrom entry', tree: TG({groupAllowFrom: ['bob']}), issues: ['channels.telegram.groupAllowFrom[0]: expected a telegram user id (digits, optionally prefixed tg: or telegram:), "*" or @username, received "bob"']},
  {name: 'commands.allowFrom.telegram entries', tree: {commands: {allowFrom: {telegram: ['tg:-5']}}}, issues: ['commands.allowFrom.telegram[0]: allowFrom expects user ids; group chat ids go under channels.telegram.groups']},
  // rules from the runtime spec
  {name: 'redactPatterns regex', tree: {logging: {redactPatterns: ['ok', '(']}}, issues: ['logging.redactPatterns[1]: invalid regular expression: /(/g: Unterminated group']},
  {name: 'mentionPatterns regex', tree: {agents: {list: [{id: 'a', groupChat: {mentionPatterns: ['[']}}]}}, issues: ['agents.list[0].groupChat.mentionPatterns[0]: invalid regular expression: /[/iu: Unterminated character class']},
  {name: 'custom provider needs baseUrl', tree: {models: {providers: {mine: {apiKey: 'k'}}}}, issues: ['models.providers.mine.baseUrl: required ("mine" is not a built-in provider)']},
  {name: 'replace mode needs baseUrl', tree: {models: {mode: 'replace', providers: {openai: {}}}}, issues: ['models.providers.openai.baseUrl: required (models.mode is "replace")']},
  {name: 'model ref without provider', tree: {agents: {defaults: {model: {primary: 'gpt', fallbacks: ['x/y', 'z']}}}}, issues: ['agents.defaults.model.fallbacks[1]: "z" is neither provider/model nor an alias defined in agents.defaults.models', 'agents.defaults.model.primary: "gpt" is neither provider/model nor an alias defined in agents.defaults.models']},
  {name: 'peer under two names', tree: {session: {identityLinks: {alice: ['telegram:1'], bob: ['Telegram:1']}}}, issues: ['session.identityLinks.bob[0]: "Telegram:1" is already linked to "alice"']},
  {name: 'unknown time zone', tree: {agents: {defaults: {userTimezone: 'Mars/Olympus'}}}, issues: ['agents.defaults.userTimezone: unknown time zone "Mars/Olympus" (expected an IANA zone like Europe/Berlin)']},
]

describe('validateConfigTree: issues', () => {
  it.each(invalid)('$name', ({tree, issues}) => {
    const result = validateConfigTree(tree)
    expect(rendered(tree)).toEqual([...issues].sort())
    expect(result.issues.every((i) => i.code === 'CONFIG_INVALID')).toBe(true)
    if (issues.length > 0) expect(result.config).toBeNull()
  })

  it('collects every issue, not only the first', () => {
    const tree = {gateway: {port: 'abc', prot: 1, bind: 'custom'}, browser: {}, hooks: {enabled: true}, channels: {discord: {}}}
    expect(rendered(tree)).toEqual([
      'browser: not supported by this version of openclaw; remove it: openclaw config unset <path>',
      'channels.discord: unknown channel "discord" (no channel plugin provides it)',
      'gateway.customBindHost: required when gateway.bind is "custom"',
      'gateway.port: expected an integer from 1 to 65535, received "abc"',
      'gateway.prot: unknown key (did you mean "port"?)',
      'hooks.token: required when hooks.enabled is true',
    ])
  })

  it('quotes non-identifier keys in paths', () => {
    expect(rendered({models: {providers: {'my.host': {baseUrl: 'nope'}}}})).toEqual(['models.providers["my.host"].baseUrl: expected an http:// or https:// URL, received "nope"'])
  })
})

describe('validateConfigTree: the validated config', () => {
  it('applies every default to an empty tree', () => {
    const {config} = validateConfigTree({})
    expect(config?.gateway.port).toBe(18789)
    expect(config?.agents.list).toEqual([])
    expect(config?.channels.telegram).toBeUndefined()
  })

  it('does not mutate the input', () => {
    const tree = Object.freeze({gateway: Object.freeze({port: 1234})})
    expect(validateConfigTree(tree).config?.gateway).toMatchObject({port: 1234, bind: 'loopback'})
  })
})
