import {describe, expect, it} from 'vitest'

import type {OperatorScope} from '../../../src/runtime/gateway/protocol/frames.js'
import {deviceLessScopes, hasScope, normalizeScopes, type ScopeGrantInput} from '../../../src/runtime/gateway/server/scopes.js'

describe('scopes (protocol §4.3)', () => {
  it.each<[OperatorScope[], OperatorScope | undefined, boolean]>([
    [[], undefined, true],
    [[], 'operator.read', false],
    [['operator.admin'], 'operator.read', true],
    [['operator.admin'], 'operator.pairing', true],
    [['operator.admin'], 'operator.approvals', true],
    [['operator.write'], 'operator.read', true],
    [['operator.write'], 'operator.write', true],
    [['operator.write'], 'operator.admin', false],
    [['operator.read'], 'operator.write', false],
    [['operator.read'], 'operator.read', true],
    [['operator.pairing'], 'operator.read', false],
    [['operator.approvals'], 'operator.approvals', true],
    [['operator.read', 'operator.pairing'], 'operator.pairing', true],
  ])('granted %j satisfies %s: %s', (granted, required, expected) => {
    expect(hasScope(granted, required)).toBe(expected)
  })

  it.each([
    [undefined, []],
    [[], []],
    [['operator.read', 'operator.questions', 'operator.talk.secrets', 'operator.read'], ['operator.read']],
    [['operator.admin', 'bogus', 'operator.write'], ['operator.admin', 'operator.write']],
  ])('normalizeScopes(%j) drops unknown and duplicate scopes', (input, expected) => {
    expect(normalizeScopes(input)).toEqual(expected)
  })

  const base: ScopeGrantInput = {clientId: 'cli', clientMode: 'cli', loopback: true, authMode: 'token', requested: ['operator.admin', 'operator.x']}
  it.each<[string, Partial<ScopeGrantInput>, string[]]>([
    ['loopback cli/cli keeps its scopes', {}, ['operator.admin']],
    ['remote cli/cli gets none', {loopback: false}, []],
    ['loopback gateway-client/backend keeps its scopes', {clientId: 'gateway-client', clientMode: 'backend'}, ['operator.admin']],
    ['gateway-client in another mode gets none', {clientId: 'gateway-client', clientMode: 'cli'}, []],
    ['cli in ui mode gets none', {clientMode: 'ui'}, []],
    ['a control UI on loopback gets none', {clientId: 'openclaw-control-ui', clientMode: 'ui'}, []],
    ['auth mode none keeps scopes for anyone', {clientId: 'webchat', clientMode: 'webchat', authMode: 'none', loopback: false}, ['operator.admin']],
  ])('%s (§4.4)', (_name, patch, expected) => {
    expect(deviceLessScopes({...base, ...patch})).toEqual(expected)
  })
})
