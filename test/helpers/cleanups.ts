import {afterAll, afterEach} from 'vitest'

/**
 * Teardown steps a test registers as it builds what it needs (fake servers, temp homes, gateway
 * processes), run newest first after each test (or, with `afterAll`, after the file), so a failed
 * assertion never leaves a process or a directory behind. `unshift` adds a step that runs last.
 */
export function cleanupList(hook: typeof afterEach | typeof afterAll = afterEach): Array<() => unknown> {
  const steps: Array<() => unknown> = []
  hook(async () => {
    for (const step of steps.splice(0).reverse()) await step()
  })
  return steps
}
