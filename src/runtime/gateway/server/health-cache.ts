/**
 * The cached HealthSnapshot (protocol.md §6.2): served while under `maxAgeMs` old, refreshed by
 * the server's shared interval, on demand (`probe:true`) and on channel state changes. Each
 * refresh bumps `stateVersion.health` and reports the new snapshot for the `health` event.
 */
import type {HealthSnapshot} from '../protocol/snapshots.js'

/** What a health provider returns; the cache fills `ok`, `ts` and `durationMs` when absent. */
export type HealthSnapshotInput = Omit<HealthSnapshot, 'ok' | 'ts' | 'durationMs'> & Partial<Pick<HealthSnapshot, 'ok' | 'ts' | 'durationMs'>>

/**
 * Collects the snapshot; `probe:true` asks for live channel probes (slower). Return a fresh
 * object each time and do not change it afterwards: the cache serializes it once.
 */
export type HealthProvider = (options: {probe: boolean}) => HealthSnapshotInput | Promise<HealthSnapshotInput>

/** Snapshot refresh period and cache lifetime (ms). */
export const HEALTH_MAX_AGE_MS = 60_000

/** How long a non-probe `health` call waits for a refresh before serving the stale snapshot (ms). */
export const HEALTH_STALE_WAIT_MS = 1_000

/** A snapshot for a gateway with no agents, sessions or channels known yet. */
export function emptyHealthSnapshot(now: number): HealthSnapshot {
  return {
    ok: true, ts: now, durationMs: 0, channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 0,
    defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []},
  }
}

export class HealthCache {
  private snapshot: HealthSnapshot
  /** `snapshot` as JSON, made on first use: `health` answers send these bytes, not a new stringify. */
  private snapshotJson: string | undefined
  private fresh = false
  /** +1 per invalidation: a refresh that started before one does not make the snapshot fresh. */
  private generation = 0
  private inFlight: Promise<HealthSnapshot> | undefined
  private capped: Promise<HealthSnapshot> | undefined
  private counter = 0

  constructor(
    private readonly provider: HealthProvider,
    private readonly onChange: (snapshot: HealthSnapshot, version: number) => void,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = HEALTH_MAX_AGE_MS,
    private readonly staleWaitMs = HEALTH_STALE_WAIT_MS,
  ) {
    this.snapshot = emptyHealthSnapshot(now())
  }

  /** The cached snapshot, whatever its age; never waits (the handshake uses this). */
  get current(): HealthSnapshot {
    return this.snapshot
  }

  /**
   * The JSON text of `value` when it is the cached snapshot (serialized once per snapshot), else
   * undefined; also undefined when the snapshot cannot be serialized.
   */
  jsonFor(value: unknown): string | undefined {
    if (value !== this.snapshot) return undefined
    if (this.snapshotJson === undefined) {
      try {
        this.snapshotJson = JSON.stringify(value)
      } catch {
        return undefined
      }
    }
    return this.snapshotJson
  }

  /** `stateVersion.health`: starts at 0, +1 per refresh. */
  get version(): number {
    return this.counter
  }

  /** True when the snapshot came from the provider and is under `maxAgeMs` old. */
  isFresh(): boolean {
    return this.fresh && this.now() - this.snapshot.ts < this.maxAgeMs
  }

  /**
   * The cached snapshot when fresh (synchronously, for the hot path), else a refresh. Without
   * `probe`, `health` must answer promptly: a failing provider, or one slower than
   * `staleWaitMs`, yields the last snapshot instead.
   */
  get(options: {probe: boolean}): HealthSnapshot | Promise<HealthSnapshot> {
    if (options.probe) return this.refresh(options)
    if (this.isFresh()) return this.snapshot
    if (this.capped === undefined) {
      let timer: NodeJS.Timeout | undefined
      const fallback = new Promise<HealthSnapshot>((resolve) => {
        timer = setTimeout(() => resolve(this.snapshot), this.staleWaitMs).unref()
      })
      // One timer per refresh, shared by every caller waiting on it.
      this.capped = Promise.race([this.refresh(options).catch(() => this.snapshot), fallback]).finally(() => {
        clearTimeout(timer)
        this.capped = undefined
      })
    }
    return this.capped
  }

  /**
   * The inputs changed (a config reload): the snapshot is stale until a refresh that started
   * after this call completes, so non-probe callers wait for it (up to `staleWaitMs`) instead of
   * being served the old one.
   */
  invalidate(): Promise<HealthSnapshot> {
    this.fresh = false
    this.generation += 1
    const previous = this.inFlight
    return previous === undefined ? this.refresh() : previous.catch(() => undefined).then(() => this.refresh())
  }

  /** Runs the provider (concurrent callers share one run) and publishes the result. */
  refresh(options: {probe: boolean} = {probe: false}): Promise<HealthSnapshot> {
    if (this.inFlight !== undefined) return this.inFlight
    const started = this.now()
    const generation = this.generation
    const run = (async () => {
      try {
        const input = await this.provider(options)
        const snapshot: HealthSnapshot = {...input, ok: input.ok ?? true, ts: input.ts ?? this.now(), durationMs: input.durationMs ?? this.now() - started}
        this.snapshot = snapshot
        this.snapshotJson = undefined
        this.fresh = generation === this.generation
        this.counter += 1
        this.onChange(snapshot, this.counter)
        return snapshot
      } finally {
        this.inFlight = undefined
      }
    })()
    this.inFlight = run
    return run
  }
}
