/**
 * Gateway-wide request admission (protocol.md §2.4): at most `maxRunning` handlers run at once,
 * at most `maxWaiting` wait to start; beyond that a request is refused as busy. Also tells
 * shutdown when every admitted request has finished.
 */
import {LIMITS} from '../protocol/frames.js'

/** Handlers running at once before new ones wait. */
export const DEFAULT_MAX_RUNNING_REQUESTS = 128

export class RequestGate {
  private running = 0
  private readonly waiting: Array<() => void> = []
  private idleWaiters: Array<() => void> = []

  constructor(
    private readonly maxRunning = DEFAULT_MAX_RUNNING_REQUESTS,
    private readonly maxWaiting: number = LIMITS.maxQueuedRequests,
  ) {}

  /** Admitted and not yet finished (running + waiting). */
  get inFlight(): number {
    return this.running + this.waiting.length
  }

  /**
   * `true`: run now; a promise: run when it resolves; `false`: busy, refuse. Every admission
   * (true or promise) must be paired with one `leave()`.
   */
  enter(): boolean | Promise<void> {
    if (this.running < this.maxRunning) {
      this.running++
      return true
    }
    if (this.waiting.length >= this.maxWaiting) return false
    return new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  leave(): void {
    const next = this.waiting.shift()
    // A waiter inherits the finished request's slot, so `running` stays the same.
    if (next !== undefined) {
      next()
      return
    }
    this.running--
    if (this.running === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters
      this.idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }
}
