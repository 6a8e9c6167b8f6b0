/**
 * The dedupe map of protocol.md §8: keyed `<agent|chat|send>:<idempotencyKey>`; an entry lives
 * 5 minutes after completion, at most 1000 completed entries (oldest evicted first; in-flight
 * entries never are). Every outcome, errors included, is cached.
 */
export const IDEMPOTENCY_TTL_MS = 5 * 60_000
export const IDEMPOTENCY_MAX_COMPLETED = 1000

type Entry<T> = {state: 'in_flight'; info: T} | {state: 'done'; info: T; value: unknown; ok: boolean; doneAt: number}

export class IdempotencyMap<T> {
  private readonly entries = new Map<string, Entry<T>>()
  private completed = 0

  constructor(private readonly now: () => number = Date.now) {}

  /** The live entry for `key`, after dropping expired ones. */
  get(key: string): Entry<T> | undefined {
    const entry = this.entries.get(key)
    if (entry?.state === 'done' && this.now() - entry.doneAt > IDEMPOTENCY_TTL_MS) {
      this.entries.delete(key)
      this.completed--
      return undefined
    }
    return entry
  }

  begin(key: string, info: T): void {
    this.entries.set(key, {state: 'in_flight', info})
  }

  finish(key: string, ok: boolean, value: unknown): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    if (entry.state === 'in_flight') this.completed++
    // Re-insert so Map order is completion order: the oldest completed entry is evicted first.
    this.entries.delete(key)
    this.entries.set(key, {state: 'done', info: entry.info, value, ok, doneAt: this.now()})
    for (const [oldKey, old] of this.entries) {
      if (this.completed <= IDEMPOTENCY_MAX_COMPLETED) break
      if (old.state !== 'done') continue
      this.entries.delete(oldKey)
      this.completed--
    }
  }

  /** Forget a key whose request failed before it was accepted (params and scope are checked first). */
  drop(key: string): void {
    const entry = this.entries.get(key)
    if (entry?.state === 'done') this.completed--
    this.entries.delete(key)
  }
}
