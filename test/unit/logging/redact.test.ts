import {describe, expect, it} from 'vitest'

import {compileRedactPatterns, createRedactor, REDACTED} from '../../../src/runtime/logging/redact.js'

const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_'

describe('redactor text', () => {
  const tools = createRedactor({secrets: ['gw-secret-token-1234', 'hunter2pass'], mode: 'tools'})
  const off = createRedactor({secrets: ['gw-secret-token-1234'], mode: 'off'})

  it.each<[string, string, string]>([
    ['configured secret', 'connect with gw-secret-token-1234 ok', `connect with ${REDACTED} ok`],
    ['two configured secrets', 'a=hunter2pass b=gw-secret-token-1234', `a=${REDACTED} b=${REDACTED}`],
    ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc', `Authorization: Bearer ${REDACTED}`],
    ['bearer is case-insensitive', 'bearer abcdefgh12345678', `bearer ${REDACTED}`],
    ['sk- key', 'using sk-proj-abcdEFGH1234567890xyz now', `using ${REDACTED} now`],
    ['sk-ant key', 'key sk-ant-api03-AbCdEfGhIjKlMnOpQr', `key ${REDACTED}`],
    ['telegram bot token', `token is ${BOT_TOKEN}.`, `token is ${REDACTED}.`],
    ['telegram bot token in a Bot API URL', `GET https://api.telegram.org/bot${BOT_TOKEN}/getMe`, `GET https://api.telegram.org/bot${REDACTED}/getMe`],
    ['token= param', 'ws://127.0.0.1:18789/?token=abc123&x=1', `ws://127.0.0.1:18789/?token=${REDACTED}&x=1`],
    ['password= param', 'login password=s3cr3t done', `login password=${REDACTED} done`],
    ['access_token= param', 'cb?access_token=xyz789', `cb?access_token=${REDACTED}`],
    ['JSON token field', '{"token":"abcd1234","x":1}', `{"token":"${REDACTED}","x":1}`],
    ['plain text untouched', 'session reset key=agent:main:main reason=daily', 'session reset key=agent:main:main reason=daily'],
    ['short ask- words untouched', 'task-runner ask-me', 'task-runner ask-me'],
    ['a ratio is not a bot token', 'chat 12345:67890 ok', 'chat 12345:67890 ok'],
  ])('%s', (_name, input, expected) => {
    expect(tools.text(input)).toBe(expected)
  })

  it('redacts configured secrets even with redactSensitive off, but not the built-in patterns', () => {
    expect(off.text('x gw-secret-token-1234 Bearer abcdefgh12345678 sk-abcdefghijklmnopqrst')).toBe(`x ${REDACTED} Bearer abcdefgh12345678 sk-abcdefghijklmnopqrst`)
  })

  it('replaces a secret that contains another one whole', () => {
    const r = createRedactor({secrets: ['abcd', 'abcdefgh'], mode: 'off'})
    expect(r.text('abcdefgh abcd')).toBe(`${REDACTED} ${REDACTED}`)
  })

  it('ignores secrets shorter than 4 characters and regex metacharacters are literal', () => {
    const r = createRedactor({secrets: ['ab', 'a.b*c'], mode: 'off'})
    expect(r.text('ab axbbc a.b*c')).toBe(`ab axbbc ${REDACTED}`)
  })

  it('applies redactPatterns globally, case as written', () => {
    const {patterns, issues} = compileRedactPatterns(['acct-\\d+', 'Secret'])
    expect(issues).toEqual([])
    const r = createRedactor({patterns, mode: 'off'})
    expect(r.text('acct-1 acct-22 secret Secret')).toBe(`${REDACTED} ${REDACTED} secret ${REDACTED}`)
  })

  it('never loops on a pattern that matches the empty string', () => {
    const r = createRedactor({patterns: compileRedactPatterns(['x*']).patterns, mode: 'off'})
    expect(r.text('abxxc')).toBe(`ab${REDACTED}c`)
  })
})

describe('compileRedactPatterns', () => {
  it('reports an invalid regex at logging.redactPatterns[n] and keeps the others', () => {
    const {patterns, issues} = compileRedactPatterns(['ok', '(unclosed'])
    expect(patterns).toHaveLength(1)
    expect(issues).toEqual([{path: 'logging.redactPatterns[1]', message: expect.stringContaining('invalid regular expression'), code: 'CONFIG_INVALID'}])
  })
})

describe('redactor value', () => {
  const r = createRedactor({secrets: ['topsecretvalue'], mode: 'tools'})

  it('redacts nested strings and sensitive keys, keeps other types', () => {
    const input = {cmd: 'curl -H "Authorization: Bearer abcdefgh12345678"', args: ['topsecretvalue', 3, true, null], headers: {authorization: 'Basic Zm9vOmJhcg=='}, apiKey: 'k', botToken: 'zzzz', sessionKey: 'agent:main:main', maxTokens: 5}
    expect(r.value(input)).toEqual({
      cmd: `curl -H "Authorization: Bearer ${REDACTED}"`,
      args: [REDACTED, 3, true, null],
      headers: {authorization: REDACTED},
      apiKey: REDACTED,
      botToken: REDACTED,
      sessionKey: 'agent:main:main',
      maxTokens: 5,
    })
  })

  it('makes awkward values JSON-safe', () => {
    const cyclic: Record<string, unknown> = {name: 'loop'}
    cyclic.self = cyclic
    const out = r.value({cyclic, big: 10n, when: new Date(Date.UTC(2026, 4, 1)), err: new Error('boom topsecretvalue'), buf: Buffer.from('abc'), fn: () => 1, nan: Number.NaN, set: new Set([1]), map: new Map([['a', 1]])})
    expect(out).toEqual({
      cyclic: {name: 'loop', self: '[circular]'},
      big: '10',
      when: '2026-05-01T00:00:00.000Z',
      err: {name: 'Error', message: `boom ${REDACTED}`},
      buf: '[3 bytes]',
      nan: 'NaN',
      set: [1],
      map: {a: 1},
    })
    expect(() => JSON.stringify(out)).not.toThrow()
  })

  it('keeps shared (non-cyclic) references and stops at depth 8', () => {
    const shared = {v: 1}
    expect(r.value({a: shared, b: shared})).toEqual({a: {v: 1}, b: {v: 1}})
    let deep: Record<string, unknown> = {leaf: true}
    for (let i = 0; i < 10; i++) deep = {deep}
    expect(JSON.stringify(r.value(deep))).toContain('[depth limit]')
  })
})
