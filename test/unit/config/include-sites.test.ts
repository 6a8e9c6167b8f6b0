import {describe, expect, it} from 'vitest'

import {blockingIncludeSite, displayIncludedFile, includeSitePaths, originOf} from '../../../src/runtime/config/edit/include-sites.js'
import type {PathSegment} from '../../../src/runtime/config/issues.js'

describe('includeSitePaths', () => {
  it.each<[string, unknown, string[]]>([
    ['none', {gateway: {port: 1}}, []],
    ['the root', {$include: './all.json5'}, ['']],
    ['nested and in arrays', {gateway: {$include: './g.json5', auth: {$include: './a.json5'}}, list: [{$include: './x.json5'}]}, ['gateway', 'gateway.auth', 'list[0]']],
  ])('%s', (_name, tree, expected) => {
    expect(includeSitePaths(tree)).toEqual(expected)
  })
})

describe('blockingIncludeSite', () => {
  const top = {gateway: {$include: './g.json5'}, agents: {list: {$include: './list.json5'}}}
  const authored = {gateway: {port: 1, auth: {mode: 'token'}}, agents: {list: [{id: 'a'}]}}
  it.each<[string, PathSegment[], PathSegment[] | null]>([
    ['a key below an object include (sibling works)', ['gateway', 'port'], null],
    ['a deeper key below an object include', ['gateway', 'auth', 'token'], null],
    ['an index into an included array', ['agents', 'list', 0, 'model'], ['agents', 'list']],
    ['a path outside any include', ['logging', 'level'], null],
    ['the include site itself', ['agents', 'list'], null],
  ])('%s', (_name, segments, expected) => {
    expect(blockingIncludeSite(top, authored, segments)).toEqual(expected)
  })
})

describe('originOf', () => {
  const origins = new Map([
    ['gateway', '/s/g.json5'],
    ['gateway.port', '/s/g.json5'],
    ['agents.list', '/s/list.json5'],
  ])
  it.each<[PathSegment[], string | undefined]>([
    [['gateway', 'port'], '/s/g.json5'],
    [['agents', 'list', 3, 'id'], '/s/list.json5'],
    [['logging'], undefined],
  ])('%j -> %s', (segments, expected) => {
    expect(originOf(origins, segments)).toBe(expected)
  })
})

describe('displayIncludedFile', () => {
  it.each([
    ['/home/ana/.openclaw/gateway.json5', './gateway.json5'],
    ['/home/ana/.openclaw/parts/a.json5', './parts/a.json5'],
    ['/home/ana/shared/a.json5', '~/shared/a.json5'],
    ['/etc/openclaw/a.json5', '/etc/openclaw/a.json5'],
  ])('%s -> %s', (file, expected) => {
    expect(displayIncludedFile(file, '/home/ana/.openclaw/openclaw.json', '/home/ana')).toBe(expected)
  })
})
