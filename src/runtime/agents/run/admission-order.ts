/**
 * Admission order per session (runtime.md §8.5 "in order"): a message's commit (its user line or
 * `openclaw.inbound` marker) awaits store I/O whose completion order the thread pool does not
 * promise, so two messages admitted concurrently on one session could commit, and then run, in the
 * wrong order. Admissions on one key run one after another, in call order; other keys do not wait.
 */
export class AdmissionOrder {
  private readonly chains = new Map<string, Promise<unknown>>()
  /** Settles once restart replay queued what a crash left behind; live admissions wait for it. */
  private gate: Promise<unknown> = Promise.resolve()

  /** Runs `admit` after every earlier admission on `key` settled; its result or error is the caller's. */
  run<T>(key: string, admit: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve()
    const run = previous.then(admit, admit)
    const tail = run.catch(() => undefined)
    this.chains.set(key, tail)
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key)
    })
    return run
  }

  /**
   * Holds live admissions until `replay` settled, so replayed messages keep their place ahead of
   * messages that arrive while the gateway starts. Replay's own admissions must not call `live`.
   */
  holdFor(replay: Promise<unknown>): void {
    this.gate = replay.catch(() => undefined)
  }

  /** Resolves when live admissions may proceed; every caller waits on the same promise, so FIFO holds. */
  live(): Promise<unknown> {
    return this.gate
  }
}
