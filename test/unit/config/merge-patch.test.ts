import {describe, expect, it} from 'vitest'

import {applyMergePatch, REDACTED_PLACEHOLDER} from '../../../src/runtime/config/edit/merge-patch.js'

describe('applyMergePatch', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['merges objects recursively', {a: {b: 1, c: 2}}, {a: {b: 3}}, {a: {b: 3, c: 2}}],
    ['deletes with null', {a: {b: 1, c: 2}}, {a: {b: null}}, {a: {c: 2}}],
    ['replaces scalars', {a: 1}, {a: 'x'}, {a: 'x'}],
    ['replaces a scalar with an object, dropping nulls inside', {a: 1}, {a: {b: null, c: 1}}, {a: {c: 1}}],
    ['adds new keys at the end', {b: 1}, {a: 2}, {b: 1, a: 2}],
    [
      'merges arrays of {id} objects by id',
      {list: [{id: 'a', x: 1}, {id: 'b', x: 2}]},
      {list: [{id: 'b', x: 3, y: null}, {id: 'c'}]},
      {list: [{id: 'a', x: 1}, {id: 'b', x: 3}, {id: 'c'}]},
    ],
    ['replaces other arrays that keep every entry', {allow: ['a']}, {allow: ['b', 'a']}, {allow: ['b', 'a']}],
    ['replaces an array that was not there', {}, {allow: ['a']}, {allow: ['a']}],
    ['keeps the current value for the redacted placeholder', {t: 'secret'}, {t: REDACTED_PLACEHOLDER}, {t: 'secret'}],
    ['writes a sibling next to an $include', {gateway: {$include: './g.json5'}}, {gateway: {port: 1}}, {gateway: {$include: './g.json5', port: 1}}],
  ])('%s', (_name, target, patch, expected) => {
    const before = structuredClone(target)
    const out = applyMergePatch(target, patch)
    expect(out.value).toEqual(expected)
    expect(Object.keys(out.value as object)).toEqual(Object.keys(expected as object))
    expect(out.removals).toEqual([])
    expect(out.unresolvedPlaceholders).toEqual([])
    expect(target).toEqual(before)
  })

  it.each<[string, unknown, unknown, string[]]>([
    ['an array that drops entries', {tools: {allow: ['a', 'b']}}, {tools: {allow: ['a']}}, ['tools.allow']],
    ['an empty array over {id} objects', {agents: {list: [{id: 'a'}]}}, {agents: {list: []}}, ['agents.list']],
    ['mixed arrays over {id} objects', {agents: {list: [{id: 'a'}]}}, {agents: {list: ['x']}}, ['agents.list']],
  ])('reports %s in removals', (_name, target, patch, removals) => {
    expect(applyMergePatch(target, patch).removals).toEqual(removals)
  })

  it.each([['tools.allow'], ['tools["allow"]']])('replaces wholesale when the path is listed as %s', (listed) => {
    const out = applyMergePatch({tools: {allow: ['a', 'b']}, list: [{id: 'x'}]}, {tools: {allow: ['c']}}, {replacePaths: [listed]})
    expect(out.value).toEqual({tools: {allow: ['c']}, list: [{id: 'x'}]})
    expect(out.removals).toEqual([])
  })

  it('replaces an {id} array wholesale when listed', () => {
    const out = applyMergePatch({agents: {list: [{id: 'a'}, {id: 'b'}]}}, {agents: {list: [{id: 'b', x: 1}]}}, {replacePaths: ['agents.list']})
    expect(out.value).toEqual({agents: {list: [{id: 'b', x: 1}]}})
  })

  it('reports a placeholder with no current value', () => {
    const out = applyMergePatch({gateway: {}}, {gateway: {auth: {token: REDACTED_PLACEHOLDER}}})
    expect(out.unresolvedPlaceholders).toEqual(['gateway.auth.token'])
  })

  it('lists every path nulled inside an existing object', () => {
    const out = applyMergePatch({gateway: {$include: './g.json5', bind: 'lan'}}, {gateway: {port: null, bind: null}, fresh: {x: null}})
    expect(out.nulledPaths).toEqual([
      ['gateway', 'port'],
      ['gateway', 'bind'],
    ])
    expect(out.value).toEqual({gateway: {$include: './g.json5'}, fresh: {}})
  })
})
