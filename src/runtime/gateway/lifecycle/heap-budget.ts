/**
 * The gateway's V8 heap budget. V8 sizes its heap for the machine: on a desktop the young
 * generation grows to 2 × 16 MB and, after a full GC, the old generation may grow to ~4× what
 * survived before the next one. In a long-lived gateway that is RSS, not speed: 1000 agent turns
 * took it from 113 MB to 179 MB with ~20 MB live (bench `agent`), far more than a 512 MB board
 * spares. Two flags V8 reads on every resize (so they work when set at run time; the heap's
 * configure-time limits cannot change after start):
 *   - the old generation grows at most {@link OLD_GROWTH_PERCENT}% past the live set;
 *   - each semi-space stops growing at {@link YOUNG_CAP_MB} MB (growth factor 1 at the cap, 2 below,
 *     so a semi-space that idle shrinking halved can grow back). bin/run.js holds the factor at 1
 *     through start-up, whose long synchronous stretches would double it several times before a
 *     GC observer could run; the observer takes over once the gateway is ready.
 * A smaller young generation means more scavenges: 4 MB costs a few percent of gateway CPU per
 * turn where 1 MB cost ~25% (measured with the agent bench's CPU rows).
 */
import {PerformanceObserver} from 'node:perf_hooks'
import v8 from 'node:v8'

export const OLD_GROWTH_PERCENT = 25
export const YOUNG_CAP_MB = 4

/** Flags that mean the user tunes the heap: then this module changes nothing. Kept in step with bin/run.js. */
export const USER_HEAP_FLAGS = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|optimize-for-size)\b/

/** The growth factor for a semi-space of `semiBytes`: 1 (stay) at or above the cap, 2 (double) below. */
export function youngGrowthFactor(semiBytes: number, capBytes: number = YOUNG_CAP_MB * 1024 * 1024): 1 | 2 {
  return semiBytes >= capBytes ? 1 : 2
}

/** What the budget drives: V8's flags, the young generation's size, GC notifications. */
export interface HeapControls {
  setFlags(flags: string): void
  /** One semi-space's size in bytes (new_space counts both). */
  semiSpaceBytes(): number | undefined
  /** Calls `fn` after every GC; returns a function that stops. */
  afterGc(fn: () => void): () => void
}

export const v8HeapControls: HeapControls = {
  setFlags: (flags) => v8.setFlagsFromString(flags),
  semiSpaceBytes: () => {
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    return young === undefined ? undefined : young.space_size / 2
  },
  afterGc: (fn) => {
    const observer = new PerformanceObserver(fn)
    observer.observe({entryTypes: ['gc']})
    return () => observer.disconnect()
  },
}

/**
 * Applies the budget (once the gateway is ready) unless the user set heap flags or `enabled` is
 * false; returns a function that stops the young-generation observer.
 */
export function applyGatewayHeapBudget(options: {userFlags: string; enabled: boolean}, controls: HeapControls = v8HeapControls): () => void {
  if (!options.enabled || USER_HEAP_FLAGS.test(options.userFlags)) return () => undefined
  // bin/run.js set it before start-up already; this covers a gateway started another way.
  controls.setFlags(`--heap-growing-percent=${OLD_GROWTH_PERCENT}`)
  let factor = 0
  const retune = (): void => {
    const semi = controls.semiSpaceBytes()
    const next = semi === undefined ? 1 : youngGrowthFactor(semi)
    if (next !== factor) controls.setFlags(`--semi-space-growth-factor=${(factor = next)}`)
  }
  retune()
  return controls.afterGc(retune)
}
