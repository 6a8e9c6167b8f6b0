import {describe, expect, it} from 'vitest'

import {getAtPath, setAtPath, treesEqual, unsetAtPath} from '../../../src/runtime/config/edit/tree-ops.js'
import type {PathSegment} from '../../../src/runtime/config/issues.js'

const tree = {gateway: {port: 1, auth: {mode: 'token'}}, agents: {list: [{id: 'a'}, {id: 'b'}]}, groups: {'123': {x: true}}, n: null}

describe('getAtPath', () => {
  it.each<[string, PathSegment[], unknown]>([
    ['a nested key', ['gateway', 'port'], {found: true, value: 1}],
    ['an object', ['gateway', 'auth'], {found: true, value: {mode: 'token'}}],
    ['an array element', ['agents', 'list', 1, 'id'], {found: true, value: 'b'}],
    ['a numeric key on an object', ['groups', 123, 'x'], {found: true, value: true}],
    ['a null value', ['n'], {found: true, value: null}],
    ['a missing key', ['gateway', 'bind'], {found: false}],
    ['an index past the end', ['agents', 'list', 2], {found: false}],
    ['a key on an array', ['agents', 'list', 'id'], {found: false}],
    ['a key below a scalar', ['gateway', 'port', 'x'], {found: false}],
    ['the root', [], {found: true, value: tree}],
  ])('%s', (_name, segments, expected) => {
    expect(getAtPath(tree, segments)).toEqual(expected)
  })
})

describe('setAtPath', () => {
  it.each<[string, PathSegment[], unknown, unknown]>([
    ['replaces a scalar', ['gateway', 'port'], 2, {gateway: {port: 2, auth: {mode: 'token'}}}],
    ['creates missing parents as objects', ['hooks', 'token', 'x'], 'v', {hooks: {token: {x: 'v'}}}],
    ['creates an array for a numeric next segment', ['tools', 'allow', 0], 'exec', {tools: {allow: ['exec']}}],
    ['appends at index == length', ['agents', 'list', 2], {id: 'c'}, {agents: {list: [{id: 'a'}, {id: 'b'}, {id: 'c'}]}}],
    ['replaces an array element', ['agents', 'list', 0, 'id'], 'z', {agents: {list: [{id: 'z'}, {id: 'b'}]}}],
  ])('%s', (_name, segments, value, expected) => {
    const before = structuredClone(tree)
    const out = setAtPath(tree, segments, value)
    expect(out).toMatchObject(expected as object)
    expect(tree).toEqual(before)
  })

  it.each<[string, PathSegment[], string]>([
    ['an index past length', ['agents', 'list', 3], 'cannot set agents.list[3]: agents.list has 2 entries; use [2] to append'],
    ['a key on an array', ['agents', 'list', 'x'], 'cannot set agents.list.x: agents.list is an array; index it with [n]'],
    ['a step through a scalar', ['gateway', 'port', 'x'], 'cannot set gateway.port.x: gateway.port is a number, not an object or array'],
    ['a step through null', ['n', 'x'], 'cannot set n.x: n is null, not an object or array'],
  ])('refuses %s', (_name, segments, message) => {
    expect(() => setAtPath(tree, segments, 1)).toThrow(expect.objectContaining({code: 'CONFIG_PATH_INVALID', message}))
  })

  it('keeps key order and appends new keys', () => {
    const out = setAtPath({b: 1, a: 2}, ['c'], 3) as object
    expect(Object.keys(out)).toEqual(['b', 'a', 'c'])
    expect(Object.keys(setAtPath({b: 1, a: 2}, ['b'], 9) as object)).toEqual(['b', 'a'])
  })

  it('sets a __proto__ key as data, never as the prototype', () => {
    const out = setAtPath({}, ['__proto__', 'polluted'], true) as Record<string, unknown>
    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('unsetAtPath', () => {
  it.each<[string, PathSegment[], boolean, unknown]>([
    ['removes a key', ['gateway', 'port'], true, {gateway: {auth: {mode: 'token'}}}],
    ['removes an array element and shifts the rest', ['agents', 'list', 0], true, {agents: {list: [{id: 'b'}]}}],
    ['reports a missing key', ['gateway', 'bind'], false, tree],
    ['reports a missing index', ['agents', 'list', 5], false, tree],
    ['reports a missing parent', ['nope', 'x'], false, tree],
  ])('%s', (_name, segments, removed, expected) => {
    const out = unsetAtPath(tree, segments)
    expect(out.removed).toBe(removed)
    expect(out.tree).toMatchObject(expected as object)
  })
})

describe('treesEqual', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['key order ignored', {a: 1, b: 2}, {b: 2, a: 1}, true],
    ['array order matters', [1, 2], [2, 1], false],
    ['nested difference', {a: {b: [1, {c: 2}]}}, {a: {b: [1, {c: 3}]}}, false],
    ['extra key', {a: 1}, {a: 1, b: undefined}, false],
    ['null vs missing', {a: null}, {}, false],
    ['number vs string', 1, '1', false],
  ])('%s', (_name, a, b, expected) => {
    expect(treesEqual(a, b)).toBe(expected)
  })
})
