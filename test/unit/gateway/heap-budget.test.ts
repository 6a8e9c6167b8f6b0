import {describe, expect, it} from 'vitest'

import {applyGatewayHeapBudget, type HeapControls, USER_HEAP_FLAGS, YOUNG_CAP_MB, youngGrowthFactor} from '../../../src/runtime/gateway/lifecycle/heap-budget.js'

const MB = 1024 * 1024

describe('gateway heap budget', () => {
  it.each([
    {semi: 1 * MB, factor: 2},
    {semi: 2 * MB, factor: 2},
    {semi: YOUNG_CAP_MB * MB - 1, factor: 2},
    {semi: YOUNG_CAP_MB * MB, factor: 1},
    {semi: 16 * MB, factor: 1},
  ])('a $semi-byte semi-space grows by $factor', ({semi, factor}) => {
    expect(youngGrowthFactor(semi)).toBe(factor)
  })

  it('caps the young generation at a size fit for a 512 MB board', () => {
    expect(YOUNG_CAP_MB).toBeLessThanOrEqual(8)
  })

  it.each([
    {flags: '--max-semi-space-size=8', mine: true},
    {flags: '--max-old-space-size=200 --heap-growing-percent=30', mine: true},
    {flags: '--optimize-for-size', mine: true},
    {flags: '--max-old-space-size=200', mine: false},
    {flags: '--enable-source-maps', mine: false},
  ])('the user owns the heap with "$flags": $mine', ({flags, mine}) => {
    expect(USER_HEAP_FLAGS.test(flags)).toBe(mine)
  })

  /** Controls whose semi-space size the test sets and whose GCs it fires. */
  function fakeControls(): HeapControls & {flags: string[]; semi: number; gc(): void; observing: boolean} {
    let listener: (() => void) | undefined
    const fake = {
      flags: [] as string[],
      semi: 1 * MB,
      observing: false,
      setFlags: (f: string) => void fake.flags.push(f),
      semiSpaceBytes: () => fake.semi,
      afterGc: (fn: () => void) => {
        listener = fn
        fake.observing = true
        return () => {
          listener = undefined
          fake.observing = false
        }
      },
      gc: () => listener?.(),
    }
    return fake
  }

  it('lets the young generation double below the cap, holds it at the cap, and lets it regrow after shrinking', () => {
    const fake = fakeControls()
    const stop = applyGatewayHeapBudget({userFlags: '', enabled: true}, fake)
    expect(fake.flags).toEqual(['--heap-growing-percent=25', '--semi-space-growth-factor=2'])
    fake.semi = 2 * MB
    fake.gc()
    fake.semi = YOUNG_CAP_MB * MB
    fake.gc()
    fake.gc()
    fake.semi = 1 * MB
    fake.gc()
    // Only changes are written: 2 once, 1 at the cap, 2 again after idle shrinking.
    expect(fake.flags.slice(1)).toEqual(['--semi-space-growth-factor=2', '--semi-space-growth-factor=1', '--semi-space-growth-factor=2'])
    stop()
    expect(fake.observing).toBe(false)
  })

  it.each([
    {name: 'disabled (OPENCLAW_GATEWAY_V8_HEAP=default)', options: {userFlags: '', enabled: false}},
    {name: 'the user tunes the heap', options: {userFlags: '--max-semi-space-size=2', enabled: true}},
  ])('changes nothing when $name', ({options}) => {
    const fake = fakeControls()
    applyGatewayHeapBudget(options, fake)
    fake.gc()
    expect(fake.flags).toEqual([])
    expect(fake.observing).toBe(false)
  })
})
