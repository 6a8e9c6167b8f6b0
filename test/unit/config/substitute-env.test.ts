import {describe, expect, it} from 'vitest'

import {substituteEnvInString, substituteEnvInTree} from '../../../src/runtime/config/substitute-env.js'

const env = {BASE: 'https://api.example.com', TOKEN: 'sekret', EMPTY: '', A_1: 'a1', _X: 'x', lower: 'nope'}

describe('substituteEnvInString', () => {
  it.each([
    {name: 'whole value', input: '${TOKEN}', output: 'sekret', missing: []},
    {name: 'inline', input: '${BASE}/v1', output: 'https://api.example.com/v1', missing: []},
    {name: 'repeated', input: '${A_1}-${A_1}:${_X}', output: 'a1-a1:x', missing: []},
    {name: 'escape', input: '$${TOKEN}', output: '${TOKEN}', missing: []},
    {name: 'escape next to a reference', input: '$${TOKEN}=${TOKEN}', output: '${TOKEN}=sekret', missing: []},
    {name: 'lower-case name is literal', input: '${lower}', output: '${lower}', missing: []},
    {name: '$NAME is literal', input: '$TOKEN', output: '$TOKEN', missing: []},
    {name: 'dash is literal', input: '${A-B}', output: '${A-B}', missing: []},
    {name: 'leading digit is literal', input: '${1A}', output: '${1A}', missing: []},
    {name: 'unclosed is literal', input: '${TOKEN', output: '${TOKEN', missing: []},
    {name: 'no reference', input: 'plain $ text {}', output: 'plain $ text {}', missing: []},
    {name: 'unset', input: 'x${NOPE}y', output: 'x${NOPE}y', missing: [{name: 'NOPE', empty: false}]},
    {name: 'empty', input: '${EMPTY}', output: '${EMPTY}', missing: [{name: 'EMPTY', empty: true}]},
    {name: 'each missing name once', input: '${NOPE}${NOPE}${EMPTY}', output: '${NOPE}${NOPE}${EMPTY}', missing: [{name: 'NOPE', empty: false}, {name: 'EMPTY', empty: true}]},
    {name: 'values are not re-expanded', input: '${SELF}', output: '${TOKEN}', missing: [], env: {SELF: '${TOKEN}'}},
  ])('$name', ({input, output, missing, env: override}) => {
    const result = substituteEnvInString(input, override ?? env)
    expect(result.value).toBe(output)
    expect(result.missing).toEqual(missing)
  })
})

describe('substituteEnvInTree', () => {
  it('substitutes every string value, not keys, not env, not $include', () => {
    const tree = {
      models: {providers: {'my.host': {baseUrl: '${BASE}', apiKey: '${TOKEN}', headers: {'${TOKEN}': 'k'}}}},
      list: ['${TOKEN}', 1, true, null, {deep: '${A_1}'}],
      env: {vars: {X: '${TOKEN}'}, Y: '${NOPE}'},
      nested: {env: '${TOKEN}', $include: './${TOKEN}.json5'},
      port: 18789,
    }
    const before = structuredClone(tree)
    const {tree: out, issues} = substituteEnvInTree(tree, {env})
    expect(issues).toEqual([])
    expect(out).toEqual({
      models: {providers: {'my.host': {baseUrl: 'https://api.example.com', apiKey: 'sekret', headers: {'${TOKEN}': 'k'}}}},
      list: ['sekret', 1, true, null, {deep: 'a1'}],
      env: {vars: {X: '${TOKEN}'}, Y: '${NOPE}'},
      nested: {env: 'sekret', $include: './${TOKEN}.json5'},
      port: 18789,
    })
    expect(tree).toEqual(before)
  })

  it('collects every missing reference with its path and file', () => {
    const tree = {
      channels: {telegram: {botToken: '${TG_TOKEN}'}},
      models: {providers: {'my.host': {apiKey: '${EMPTY}', baseUrl: '${NOPE}/${EMPTY}'}}},
      agents: {list: [{id: 'a', name: '${NAME_X}'}]},
    }
    const origins = new Map([
      ['channels.telegram', '/h/.openclaw/telegram.json5'],
      ['channels.telegram.botToken', '/h/.openclaw/telegram.json5'],
    ])
    const {issues} = substituteEnvInTree(tree, {env, origins})
    expect(issues).toEqual([
      {path: 'channels.telegram.botToken', message: 'environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN})', file: '/h/.openclaw/telegram.json5', code: 'CONFIG_ENV_MISSING'},
      {path: 'models.providers["my.host"].apiKey', message: 'environment variable EMPTY is empty (referenced as ${EMPTY})', code: 'CONFIG_ENV_MISSING'},
      {path: 'models.providers["my.host"].baseUrl', message: 'environment variable NOPE is not set (referenced as ${NOPE})', code: 'CONFIG_ENV_MISSING'},
      {path: 'models.providers["my.host"].baseUrl', message: 'environment variable EMPTY is empty (referenced as ${EMPTY})', code: 'CONFIG_ENV_MISSING'},
      {path: 'agents.list[0].name', message: 'environment variable NAME_X is not set (referenced as ${NAME_X})', code: 'CONFIG_ENV_MISSING'},
    ])
  })

  it('takes the file of the nearest ancestor path in origins', () => {
    const {issues} = substituteEnvInTree({gateway: {auth: {token: '${NOPE}'}}}, {env, origins: new Map([['gateway', '/h/gw.json5']])})
    expect(issues[0]).toMatchObject({path: 'gateway.auth.token', file: '/h/gw.json5'})
  })

  it('keeps a __proto__ key as data', () => {
    const tree = JSON.parse('{"__proto__": {"x": "${TOKEN}"}}') as Record<string, unknown>
    const {tree: out} = substituteEnvInTree(tree, {env})
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({x: 'sekret'})
  })
})
