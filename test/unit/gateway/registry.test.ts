import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {createMethodRegistry, PHASE1_METHOD_GROUPS} from '../../../src/runtime/gateway/methods/groups.js'
import {defineMethod, DuplicateMethodError, MethodRegistry} from '../../../src/runtime/gateway/server/registry.js'

const method = (name: string) => defineMethod({name, scope: undefined, params: z.object({}), handler: () => null})

describe('MethodRegistry (ARCHITECTURE rule 8)', () => {
  it('lists names in registration order', () => {
    expect(new MethodRegistry([[method('a'), method('b')], [method('c')]]).names()).toEqual(['a', 'b', 'c'])
  })

  it.each([
    ['within a group', [[method('a'), method('a')]]],
    ['across groups', [[method('a')], [method('b'), method('a')]]],
    ['the reserved connect', [[method('connect')]]],
  ])('throws on a duplicate %s', (_name, groups) => {
    expect(() => new MethodRegistry(groups)).toThrow(DuplicateMethodError)
    expect(() => new MethodRegistry(groups)).toThrow(expect.objectContaining({code: 'INTERNAL', exitCode: 70}))
  })

  it('serves the phase-1 methods and rejects a group that clashes with them', () => {
    const names = createMethodRegistry().names()
    expect(names.slice(0, 3)).toEqual(['health', 'status', 'system-presence'])
    expect(new Set(names).size).toBe(names.length)
    expect(PHASE1_METHOD_GROUPS.flat().every((m) => m.name !== 'connect')).toBe(true)
    expect(() => createMethodRegistry([[method('status')]])).toThrow('gateway method registered twice: status')
    expect(createMethodRegistry([[method('zz.extra')]]).get('zz.extra')?.name).toBe('zz.extra')
  })
})
