import {describe, expect, it} from 'vitest'

import {diffConfigPaths} from '../../../src/runtime/config/edit/diff-paths.js'

describe('diffConfigPaths', () => {
  it.each<[string, unknown, unknown, string[]]>([
    ['equal trees', {a: {b: [1, 2]}}, {a: {b: [1, 2]}}, []],
    ['a changed leaf', {gateway: {port: 1, bind: 'lan'}}, {gateway: {port: 2, bind: 'lan'}}, ['gateway.port']],
    ['an added key', {gateway: {}}, {gateway: {port: 2}}, ['gateway.port']],
    ['an added subtree, as its leaves', {}, {gateway: {port: 2, auth: {mode: 'token'}}}, ['gateway.auth.mode', 'gateway.port']],
    ['a removed subtree, as its leaves', {gateway: {auth: {token: 'x'}}, a: 1}, {a: 1}, ['gateway.auth.token']],
    ['an added empty object', {}, {gateway: {}}, ['gateway']],
    ['a changed array element', {agents: {list: [{id: 'a', m: 1}, {id: 'b'}]}}, {agents: {list: [{id: 'a', m: 2}, {id: 'b'}]}}, ['agents.list[0].m']],
    ['an appended element', {tools: {allow: ['a']}}, {tools: {allow: ['a', 'b']}}, ['tools.allow[1]']],
    ['a type change, leaves of both sides', {a: {b: 1}}, {a: [1]}, ['a.b', 'a[0]']],
    ['a scalar replaced by an object', {a: 1}, {a: {b: 1}}, ['a', 'a.b']],
    ['quoted keys', {groups: {'-100': {x: 1}}}, {groups: {'-100': {x: 2}}}, ['groups["-100"].x']],
    ['several, sorted', {b: 1, a: 1}, {b: 2, a: 2, c: 1}, ['a', 'b', 'c']],
    ['key order only', {a: 1, b: 2}, {b: 2, a: 1}, []],
  ])('%s', (_name, before, after, expected) => {
    expect(diffConfigPaths(before, after)).toEqual(expected)
  })
})
