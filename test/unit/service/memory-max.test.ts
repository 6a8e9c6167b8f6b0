import {describe, expect, it} from 'vitest'

import {parseMemoryMax, resolveMemoryMax, type MemoryFacts} from '../../../src/runtime/service/memory-max.js'

const GiB = 1024 ** 3
const board: MemoryFacts = {physicalBytes: 1 * GiB, cgroupLimitBytes: null}
const big: MemoryFacts = {physicalBytes: 16 * GiB, cgroupLimitBytes: null}
const capped: MemoryFacts = {physicalBytes: 16 * GiB, cgroupLimitBytes: 700 * 1024 ** 2}

describe('--memory-max', () => {
  const cases: Array<[string, string, MemoryFacts, {memoryMax: string | null; heapMiB: number | null}]> = [
    ['auto on a 1 GiB board: 50% of RAM', 'auto', board, {memoryMax: '512M', heapMiB: 307}],
    ['auto on 16 GiB: clamped to 1G', 'auto', big, {memoryMax: '1024M', heapMiB: 614}],
    ['auto under a 700M cgroup limit: half of that, at least 256M', 'auto', capped, {memoryMax: '350M', heapMiB: 210}],
    ['auto on 256 MiB: the 256M floor', 'auto', {physicalBytes: 256 * 1024 ** 2, cgroupLimitBytes: null}, {memoryMax: '256M', heapMiB: 153}],
    ['explicit size kept as written', '512M', big, {memoryMax: '512M', heapMiB: 307}],
    ['gigabytes', '1G', big, {memoryMax: '1G', heapMiB: 614}],
    ['lower-case unit', '768m', big, {memoryMax: '768M', heapMiB: 460}],
    ['percentage of RAM', '25%', board, {memoryMax: '256M', heapMiB: 153}],
    ['percentage of a lower cgroup limit', '50%', capped, {memoryMax: '350M', heapMiB: 210}],
    ['none omits both', 'none', big, {memoryMax: null, heapMiB: null}],
  ]
  it.each(cases)('%s', (_name, input, facts, expected) => {
    expect(resolveMemoryMax(parseMemoryMax(input), facts)).toMatchObject(expected)
  })

  it.each(['lots', '0%', '150%', '64M', '-1G', ''])('refuses %j with a usage error', (input) => {
    expect(() => parseMemoryMax(input)).toThrow(expect.objectContaining({code: 'USAGE'}))
  })
})
