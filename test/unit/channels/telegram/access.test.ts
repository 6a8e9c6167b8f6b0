import {describe, expect, it} from 'vitest'

import {decideDm, decideGroup, listAllows, normalizeAllowEntry, type GroupInput} from '../../../../src/runtime/channels/telegram/access.js'
import {resolveTelegramAccounts, TOKEN_PATTERN, type TelegramAccountSettings} from '../../../../src/runtime/channels/telegram/accounts.js'
import {parseConfig, TOKEN_A, TOKEN_B} from './harness.js'

const settingsOf = (telegram: Record<string, unknown>): TelegramAccountSettings =>
  resolveTelegramAccounts(parseConfig({botToken: TOKEN_A, ...telegram}), {}, {home: '/h', stateDir: '/s'}, () => ({text: '', mode: 0o600}))[0].settings

describe('allowFrom entries (§6.1)', () => {
  it.each([
    ['tg: prefix', ['tg:123'], {id: '123'}, true],
    ['TELEGRAM: prefix', ['TELEGRAM:123'], {id: '123'}, true],
    ['number', [123], {id: '123'}, true],
    ['star', ['*'], {id: '9'}, true],
    ['@username any case', ['@Alice'], {id: '9', username: 'alice'}, true],
    ['other id', ['124'], {id: '123'}, false],
  ] as const)('%s', (_name, list, sender, expected) => {
    expect(listAllows(list, sender)).toBe(expected)
  })
  it('normalizes entries', () => expect([normalizeAllowEntry('tg:5'), normalizeAllowEntry(' @Bob '), normalizeAllowEntry(7)]).toEqual(['5', '@bob', '7']))
})

describe('DM policy (§6.2)', () => {
  it.each([
    ['disabled', {dmPolicy: 'disabled', allowFrom: ['*']}, [], {accept: false, reason: 'dm-disabled'}],
    ['open', {dmPolicy: 'open', allowFrom: ['*']}, [], {accept: true}],
    ['listed in config', {dmPolicy: 'pairing', allowFrom: ['tg:7']}, [], {accept: true}],
    ['listed in the approved file', {dmPolicy: 'pairing', allowFrom: []}, ['7'], {accept: true}],
    ['allowlist, unlisted', {dmPolicy: 'allowlist', allowFrom: ['8']}, [], {accept: false, reason: 'dm-not-allowed'}],
    ['pairing, unlisted', {dmPolicy: 'pairing', allowFrom: []}, [], {accept: false, reason: 'pairing'}],
  ] as const)('%s', (_name, settings, file, expected) => {
    expect(decideDm(settings as never, {id: '7'}, file)).toEqual(expected)
  })
  it.each([
    ['disabled', 'disabled', 0],
    ['open', 'open', 0],
    ['allowlist', 'allowlist', 1],
    ['pairing', 'pairing', 1],
  ] as const)('%s reads the approved-senders file %i time(s) when given a reader', (_name, dmPolicy, reads) => {
    let calls = 0
    decideDm({dmPolicy, allowFrom: []} as never, {id: '7'}, () => (calls++, ['9']))
    expect(calls).toBe(reads)
  })
})

describe('group gates (§7.1, §6.5)', () => {
  const input = (over: Partial<GroupInput> = {}): GroupInput => ({chatId: '-100', sender: {id: '7'}, senderIsChat: false, isCommand: false, mentioned: true, ...over})
  it.each([
    ['groupPolicy disabled', {groupPolicy: 'disabled'}, input(), 'group-disabled'],
    ['chat not listed', {groupPolicy: 'open', groups: {'-200': {}}}, input(), 'group-not-allowed'],
    ['entry disabled', {groupPolicy: 'open', groups: {'-100': {enabled: false}}}, input(), 'group-entry-disabled'],
    ['topic disabled', {groupPolicy: 'open', groups: {'-100': {topics: {'5': {enabled: false}}}}}, input({topicId: '5'}), 'topic-disabled'],
    ['sender not listed', {groupPolicy: 'allowlist', groupAllowFrom: ['8']}, input(), 'sender-not-allowed'],
    ['sender_chat under allowlist', {groupPolicy: 'allowlist', groupAllowFrom: ['7']}, input({senderIsChat: true}), 'sender-not-allowed'],
    ['no mention', {groupPolicy: 'open'}, input({mentioned: false}), 'no-mention'],
    ['command from an unlisted member of an open group', {groupPolicy: 'open'}, input({isCommand: true}), 'command-not-authorized'],
    ['"*" entry sets requireMention false', {groupPolicy: 'open', groups: {'*': {requireMention: false}}}, input({mentioned: false}), null],
    ['listed sender, mentioned', {groupPolicy: 'allowlist', groups: {'-100': {allowFrom: ['7']}}}, input(), null],
    ['listed sender runs a command without mention', {groupPolicy: 'allowlist', groupAllowFrom: ['7']}, input({isCommand: true, mentioned: false}), null],
  ] as const)('%s', (_name, telegram, groupInput, reason) => {
    const decision = decideGroup(settingsOf(telegram), groupInput, [])
    expect(decision.accept ? null : decision.reason).toBe(reason)
  })
  it('an approved DM sender passes the allowlist gate as a fallback list', () => {
    expect(decideGroup(settingsOf({groupPolicy: 'allowlist'}), input(), ['7']).accept).toBe(true)
  })
})

describe('accounts (§2)', () => {
  const resolve = (telegram: Record<string, unknown>, env: Record<string, string> = {}) =>
    resolveTelegramAccounts(parseConfig(telegram), env, {home: '/h', stateDir: '/s'}, (file) => {
      if (file === '/s/token.txt') return {text: `${TOKEN_B}\n`, mode: 0o644}
      throw new Error('ENOENT')
    })
  it('one default account from the top level, the env token only for it', () => {
    const [account] = resolve({}, {TELEGRAM_BOT_TOKEN: TOKEN_A})
    expect(account).toMatchObject({accountId: 'default', tokenSource: 'env', botId: '111111', isDefault: true, startError: null})
    expect(account.tokenHash).toMatch(/^[0-9a-f]{16}$/)
  })
  it('accounts inherit top-level keys; a key set on an account replaces it whole', () => {
    const accounts = resolve({dmPolicy: 'open', allowFrom: ['*'], accounts: {work: {botToken: TOKEN_B, dmPolicy: 'pairing', allowFrom: []}, home: {botToken: TOKEN_A}}})
    expect(accounts.map((a) => [a.accountId, a.settings.dmPolicy, a.isDefault])).toEqual([['work', 'pairing', true], ['home', 'open', false]])
  })
  it('tokenFile is read, trimmed, and a readable-by-others file warns', () => {
    const [account] = resolve({tokenFile: 'token.txt'})
    expect(account).toMatchObject({tokenSource: 'file', botId: '222222'})
    expect(account.warnings[0]).toContain('openclaw doctor --fix')
  })
  it('malformed token, duplicate bot and proxy do not start', () => {
    expect(resolve({botToken: '12:has space'})[0].startError?.code).toBe('TELEGRAM_TOKEN_INVALID')
    expect(resolve({botToken: '123:abc'})[0]).toMatchObject({startError: null, botId: '123'})
    expect(resolve({accounts: {a: {botToken: TOKEN_A}, b: {botToken: TOKEN_A}}})[1].startError?.message).toBe('same bot token as account a')
    expect(resolve({botToken: TOKEN_A, proxy: 'http://proxy:8080'})[0].startError?.code).toBe('TELEGRAM_PROXY_UNSUPPORTED')
  })
})

describe('token shape (issue 10 accepts short tokens like 123:abc)', () => {
  it.each([
    ['issue example', '123:abc', true],
    ['real length', TOKEN_A, true],
    ['dash and underscore', '42:a-b_C', true],
    ['no secret', '123:', false],
    ['no bot id', ':abc', false],
    ['letters in bot id', '12a:abc', false],
    ['no colon', '123abc', false],
    ['two colons', '1:2:3', false],
    ['space inside', '123:ab c', false],
    ['url, not a token', 'https://t.me/x', false],
  ])('%s', (_name, token, ok) => expect(TOKEN_PATTERN.test(token)).toBe(ok))
})
