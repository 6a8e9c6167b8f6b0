import {describe, expect, it} from 'vitest'

import {REDACTED_PLACEHOLDER} from '../../../src/runtime/config/edit/merge-patch.js'
import {redactConfigTree} from '../../../src/runtime/config/edit/redact.js'

const R = REDACTED_PLACEHOLDER

describe('redactConfigTree (config.md §9)', () => {
  it.each<[string, unknown, unknown]>([
    ['the gateway token', {gateway: {auth: {token: 'abc', mode: 'token'}}}, {gateway: {auth: {token: R, mode: 'token'}}}],
    ['the gateway password', {gateway: {auth: {password: 'pw'}}}, {gateway: {auth: {password: R}}}],
    ['remote credentials', {gateway: {remote: {url: 'wss://x', token: 't'}}}, {gateway: {remote: {url: 'wss://x', token: R}}}],
    ['a bot token', {channels: {telegram: {botToken: '123:abc', dmPolicy: 'pairing'}}}, {channels: {telegram: {botToken: R, dmPolicy: 'pairing'}}}],
    ['an account bot token', {channels: {telegram: {accounts: {ops: {botToken: '1:x'}}}}}, {channels: {telegram: {accounts: {ops: {botToken: R}}}}}],
    ['a provider apiKey', {models: {providers: {my: {baseUrl: 'http://h', apiKey: 'sk-1'}}}}, {models: {providers: {my: {baseUrl: 'http://h', apiKey: R}}}}],
    ['a key named key under models.providers', {models: {providers: {my: {params: {key: 'k'}}}}}, {models: {providers: {my: {params: {key: R}}}}}],
    ['the hooks token', {hooks: {token: 'h', enabled: true}}, {hooks: {token: R, enabled: true}}],
    ['a ${NAME} reference, shown as written', {gateway: {auth: {token: '${GW_TOKEN}'}}}, {gateway: {auth: {token: '${GW_TOKEN}'}}}],
    ['an empty secret, left empty', {gateway: {auth: {token: ''}}}, {gateway: {auth: {token: ''}}}],
    ['not a key named token outside providers/channels', {tools: {allow: ['token']}, session: {mainKey: 'key'}}, {tools: {allow: ['token']}, session: {mainKey: 'key'}}],
  ])('redacts %s', (_name, tree, expected) => {
    expect(redactConfigTree(tree)).toEqual(expected)
  })

  it('redacts a subtree given its base path', () => {
    expect(redactConfigTree({token: 'abc', mode: 'token'}, {base: ['gateway', 'auth']})).toEqual({token: R, mode: 'token'})
    expect(redactConfigTree('abc', {base: ['gateway', 'auth', 'token']})).toBe(R)
  })

  it('shows the authored ${NAME} for a substituted secret', () => {
    const authored = {channels: {telegram: {botToken: '${TG_TOKEN}'}}}
    expect(redactConfigTree({channels: {telegram: {botToken: '123:abc'}}}, {authored})).toEqual(authored)
    expect(redactConfigTree({channels: {telegram: {botToken: '123:abc'}}}, {authored: {channels: {telegram: {botToken: 'x${TG}'}}}})).toEqual({channels: {telegram: {botToken: R}}})
  })

  it('does not mutate its input', () => {
    const tree = {gateway: {auth: {token: 'abc'}}}
    redactConfigTree(tree)
    expect(tree.gateway.auth.token).toBe('abc')
  })
})
