/**
 * The dedupe map of protocol.md §8: keyed `<agent|chat|send>:<idempotencyKey>`; an entry lives
 * 5 minutes after completion, at most 1000 completed entries (oldest evicted first; in-flight
 * entries never are). Every outcome, errors included, is cached.
 */
export const IDEMPOTENCY_TTL_MS = 5 * 60_000
export const IDEMPOTENCY_MAX_COMPLETED = 1000
/**
 * …and at most this much cached final (JSON characters, about the heap it holds): a final carries
 * the whole reply, so 1000 long answers could otherwise pin ~100 MB of a 512 MB board's gateway.
 * 4 MB still holds 1000 typical finals; only long ones age out early.
 */
export const IDEMPOTENCY_MAX_BYTES = 4 * 1024 * 1024

type Entry<T> = {state: 'in_flight'; info: T} | {state: 'done'; info: T; value: unknown; ok: boolean; doneAt: number; bytes: number}

/** The JSON size of a cached final (what it costs to keep); a value JSON cannot size counts 1 KB. */
function finalBytes(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0
  } catch {
    return 1024
  }
}

export class IdempotencyMap<T> {
  private readonly entries = new Map<string, Entry<T>>()
  private completed = 0
  private bytes = 0

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxBytes: number = IDEMPOTENCY_MAX_BYTES,
  ) {}

  /** The live entry for `key`, after dropping expired ones. */
  get(key: string): Entry<T> | undefined {
    const entry = this.entries.get(key)
    if (entry?.state === 'done' && this.now() - entry.doneAt > IDEMPOTENCY_TTL_MS) {
      this.remove(key, entry)
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
    else this.bytes -= entry.bytes
    // Re-insert so Map order is completion order: the oldest completed entry is evicted first.
    this.entries.delete(key)
    const bytes = finalBytes(value)
    this.entries.set(key, {state: 'done', info: entry.info, value, ok, doneAt: this.now(), bytes})
    this.bytes += bytes
    for (const [oldKey, old] of this.entries) {
      // The newest final stays whatever its size: a retry right after the answer still dedupes.
      if ((this.completed <= IDEMPOTENCY_MAX_COMPLETED && this.bytes <= this.maxBytes) || oldKey === key) break
      if (old.state !== 'done') continue
      this.remove(oldKey, old)
    }
  }

  /** Forget a key whose request failed before it was accepted (params and scope are checked first). */
  drop(key: string): void {
    const entry = this.entries.get(key)
    if (entry !== undefined) this.remove(key, entry)
  }

  /** Completed entries and the JSON characters their finals hold (what the bounds count). */
  size(): {completed: number; bytes: number} {
    return {completed: this.completed, bytes: this.bytes}
  }

  private remove(key: string, entry: Entry<T>): void {
    this.entries.delete(key)
    if (entry.state !== 'done') return
    this.completed--
    this.bytes -= entry.bytes
  }
}
