/** Delay before attempt `n` (0-based) of a failing loop: `minMs × 1.8ⁿ` up to `maxMs`, ±`jitter` (telegram.md §4.5). */
export function backoffDelay(n: number, options: {minMs: number; maxMs: number; factor?: number; jitter?: number}, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.minMs * (options.factor ?? 1.8) ** n)
  const jitter = options.jitter ?? 0.25
  return Math.max(0, Math.round(base * (1 + jitter * (random() * 2 - 1))))
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
