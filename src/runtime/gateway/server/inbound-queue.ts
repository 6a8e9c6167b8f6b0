/**
 * Fair admission of one authenticated connection's frames (issue 6, defect 1). `ws` emits every
 * frame of a TCP chunk synchronously, so a client pipelining thousands of requests could hold the
 * event loop for seconds. Each connection may run `framesPerTurn` frames (or `turnBudgetMs` of
 * loop time) per event-loop turn, `maxInFlight` async requests at once, and nothing while
 * `responseBacklogBytes` of its answers are still unsent; past any of these its frames wait here
 * (in order) and its socket stops being read, so other connections' I/O runs in between and a
 * client that never reads its answers cannot make us buffer them.
 */

export interface FairnessLimits {
  /** Frames one connection may dispatch per event-loop turn (default 32). */
  framesPerTurn: number
  /** Loop time one connection may use per turn before yielding, ms (default 2). */
  turnBudgetMs: number
  /** Async requests of one connection running at once (default 16). */
  maxInFlight: number
  /** Unsent answer bytes above which the connection's requests wait for its socket to drain (default 4 MiB). */
  responseBacklogBytes: number
}

export const DEFAULT_FAIRNESS: FairnessLimits = Object.freeze({framesPerTurn: 32, turnBudgetMs: 2, maxInFlight: 16, responseBacklogBytes: 4 * 1024 * 1024})

/** Counts event-loop turns for a server's connections: one setImmediate per busy turn, whoever asks. */
export class LoopTurn {
  private id = 0
  private scheduled = false
  private readonly advance = (): void => {
    this.id++
    this.scheduled = false
  }

  current(): number {
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.advance)
    }
    return this.id
  }
}

/** What the queue needs of its connection; one object per server, shared by every connection's queue. */
export interface InboundIo<C> {
  /** False once the connection is closing: queued frames are dropped. */
  alive(conn: C): boolean
  pause(conn: C): void
  resume(conn: C): void
  bufferedAmount(conn: C): number
  /** Calls `fn` once the socket's write buffer has drained. */
  onceDrained(conn: C, fn: () => void): void
  /** Dispatches one frame; a promise while an async handler runs. */
  run(conn: C, data: Buffer, isBinary: boolean): Promise<void> | undefined
}

interface Frame {
  data: Buffer
  isBinary: boolean
}

type Blocked = 'turn' | 'in-flight' | 'backlog' | undefined

export class InboundQueue<C> {
  // Allocated on the first queued frame: most connections never queue one.
  private frames: Frame[] | undefined
  private head = 0
  private inFlight = 0
  private turnId = -1
  private turnFrames = 0
  private turnStart = 0
  private waiting = false

  constructor(
    private readonly conn: C,
    private readonly io: InboundIo<C>,
    private readonly turn: LoopTurn,
    private readonly limits: FairnessLimits = DEFAULT_FAIRNESS,
  ) {}

  /** Frames waiting to run. */
  get queued(): number {
    return this.frames === undefined ? 0 : this.frames.length - this.head
  }

  /** Runs the frame now when the connection is within its limits, else queues it (in order). */
  push(data: Buffer, isBinary: boolean): void {
    if (this.queued === 0 && this.blocked() === undefined) {
      this.runOne(data, isBinary)
      return
    }
    ;(this.frames ??= []).push({data, isBinary})
    if (this.queued === 1) {
      this.io.pause(this.conn)
      this.wait()
    }
  }

  /** Drops queued frames (the connection closed). */
  clear(): void {
    this.frames = undefined
    this.head = 0
  }

  private blocked(): Blocked {
    if (this.inFlight >= this.limits.maxInFlight) return 'in-flight'
    if (this.io.bufferedAmount(this.conn) > this.limits.responseBacklogBytes) return 'backlog'
    const turn = this.turn.current()
    if (turn !== this.turnId) {
      this.turnId = turn
      this.turnFrames = 0
      this.turnStart = performance.now()
      return undefined
    }
    if (this.turnFrames >= this.limits.framesPerTurn || performance.now() - this.turnStart > this.limits.turnBudgetMs) return 'turn'
    return undefined
  }

  private runOne(data: Buffer, isBinary: boolean): void {
    this.turnFrames++
    const pending = this.io.run(this.conn, data, isBinary)
    if (pending === undefined) return
    this.inFlight++
    void pending.finally(() => {
      this.inFlight--
      if (this.queued > 0 && !this.waiting) this.drain()
    })
  }

  /** Arranges the next drain for whatever blocks the queue. */
  private wait(): void {
    const reason = this.blocked()
    if (reason === 'in-flight') return // a finishing request drains
    this.waiting = true
    const resume = (): void => {
      this.waiting = false
      this.drain()
    }
    if (reason === 'backlog') this.io.onceDrained(this.conn, resume)
    else setImmediate(resume)
  }

  private drain(): void {
    if (!this.io.alive(this.conn)) {
      this.clear()
      return
    }
    while (this.frames !== undefined && this.queued > 0 && this.blocked() === undefined) {
      const frame = this.frames[this.head] as Frame
      this.frames[this.head] = undefined as unknown as Frame
      this.head++
      this.runOne(frame.data, frame.isBinary)
    }
    if (this.frames === undefined || this.queued === 0) {
      this.clear()
      this.io.resume(this.conn)
      return
    }
    if (this.head > 1024) {
      this.frames = this.frames.slice(this.head)
      this.head = 0
    }
    this.wait()
  }
}
