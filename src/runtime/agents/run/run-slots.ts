/** The global concurrency cap of runtime.md §8.5: FIFO admission to at most `limit()` active runs. */
export class RunSlots {
  private used = 0
  private readonly waiting: Array<() => void> = []

  /** `limit` is read on every admission so a hot config change applies to the next run. */
  constructor(private readonly limit: () => number) {}

  acquire(): Promise<void> {
    if (this.used < this.limit() && this.waiting.length === 0) {
      this.used++
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.used++
      resolve()
    }))
  }

  release(): void {
    this.used = Math.max(0, this.used - 1)
    while (this.waiting.length > 0 && this.used < this.limit()) this.waiting.shift()?.()
  }
}
