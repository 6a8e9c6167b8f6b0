/**
 * The state of one session lane (runtime.md §8.5): the running turn's controller, what waits
 * behind it, what steers it, and what the cap dropped since the last turn. Decisions come from
 * queue-plan.ts; the runner does the I/O (markers, user lines, runs).
 */
import {enqueue, planTurns, type QueueMode, type QueuedMessage} from './queue-plan.js'

/** `W` is the runner's waiting message (the queued text plus what its run needs). */
export class SessionLane<W extends QueuedMessage> {
  controller: AbortController | undefined
  /** Run ids of the turn that runs now (abort by run id). */
  runningIds: string[] = []
  queue: W[] = []
  steer: W[] = []
  /** Dropped by the cap since the last turn started: the next turn starts with a note about them. */
  dropped: W[] = []
  lastArrival = 0
  /** Admissions that saw this lane busy and are still writing their marker: the lane must not close under them. */
  private admitting = 0
  private admitted: Array<() => void> = []

  /** Runs one admission's commit (marker write, then `add`); the lane stays open until it settled. */
  async admit<T>(commit: () => Promise<T>): Promise<T> {
    this.admitting++
    try {
      return await commit()
    } finally {
      this.admitting--
      if (this.admitting === 0) for (const wake of this.admitted.splice(0)) wake()
    }
  }

  /** Resolves once no admission is between its "lane is busy" check and its `add`; false when none was. */
  async admissionsSettled(): Promise<boolean> {
    if (this.admitting === 0) return false
    while (this.admitting > 0) await new Promise<void>((resolve) => this.admitted.push(resolve))
    return true
  }

  /** Queues `message` per `mode`; returns the messages that were discarded (cap or interrupt). */
  add(message: W, mode: QueueMode, cap: number, now: number): W[] {
    this.lastArrival = now
    if (mode === 'interrupt') {
      const discarded = [...this.steer, ...this.queue]
      this.queue = [message]
      this.steer = []
      this.controller?.abort('interrupted')
      return discarded
    }
    if (mode === 'steer' && this.controller !== undefined) {
      this.steer.push(message)
      return []
    }
    const {queue, dropped} = enqueue(this.queue, message, cap)
    this.queue = queue as W[]
    this.dropped.push(...(dropped as W[]))
    return dropped as W[]
  }

  /** Steered into the running turn: they share its outcome. */
  joined: W[] = []

  /** Steering messages for the next model call of the running turn (taken once, then joined). */
  takeSteer(): W[] {
    const taken = this.steer
    this.steer = []
    this.joined.push(...taken)
    return taken
  }

  /** The messages the finished turn answered besides its own members. */
  takeJoined(): W[] {
    const joined = this.joined
    this.joined = []
    return joined
  }

  /** The next turn to run, removed from the queue; undefined when nothing waits. */
  next(mode: QueueMode, timeZone?: string): {members: W[]; text: string} | undefined {
    // Steering messages that found no further model call become followups, ahead of newer ones.
    this.queue = [...this.steer, ...this.queue]
    this.steer = []
    const [turn] = planTurns(this.queue, mode, this.dropped, timeZone)
    if (turn === undefined) return undefined
    const taken = new Set(turn.members)
    this.queue = this.queue.filter((message) => !taken.has(message))
    this.dropped = []
    return {members: turn.members as W[], text: turn.text}
  }

  /** Removes and returns every waiting message (or one run id's): `/stop` and shutdown. */
  discard(runId?: string): W[] {
    const all = [...this.steer, ...this.queue]
    const out = all.filter((message) => runId === undefined || message.runId === runId)
    this.steer = this.steer.filter((message) => !out.includes(message))
    this.queue = this.queue.filter((message) => !out.includes(message))
    return out
  }

  size(): number {
    return this.queue.length + this.steer.length
  }
}
