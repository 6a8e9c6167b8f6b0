import {fetchReadiness} from '../gateway/client/probe.js'

/** What waiting for a started gateway saw (operations.md §4.4 step 5). */
export interface ReadyOutcome {
  /** Answered at all within the wait. */
  answered: boolean
  ready: boolean
  failing: string[]
  waitedMs: number
}

/**
 * Polls `GET /ready` on the loopback port every 250 ms until startup is complete (200, or 503
 * naming failures other than `startup`) or `waitMs` passes. Never throws.
 */
export async function waitForGatewayReady(options: {port: number; secret?: string; waitMs: number}): Promise<ReadyOutcome> {
  const started = Date.now()
  const target = {url: `ws://127.0.0.1:${options.port}`, token: options.secret}
  let answered = false
  let failing: string[] = []
  for (;;) {
    const left = options.waitMs - (Date.now() - started)
    try {
      const readiness = await fetchReadiness(target, Math.max(100, Math.min(2000, left)))
      answered = true
      failing = readiness.failing ?? []
      if (readiness.ready || (failing.length > 0 && !failing.includes('startup'))) return {answered, ready: readiness.ready, failing, waitedMs: Date.now() - started}
    } catch {
      // not listening yet
    }
    if (Date.now() - started + 250 > options.waitMs) return {answered, ready: false, failing, waitedMs: Date.now() - started}
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
