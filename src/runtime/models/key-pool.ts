import {HttpAgents} from '../net/http-agents.js'
import type {KeySource} from './key-sources.js'

/**
 * Runtime state of one provider's keys (runtime.md §8.4): the current key stays in use until it
 * is rate limited (good for provider prompt caches); a rate-limited key cools down for its
 * Retry-After (or 60 s); a key answered 401/403 is disabled until the config changes the pool.
 */
export class KeyPool {
  readonly keys: readonly KeySource[]
  private current = 0
  private readonly coolUntil = new Map<string, number>()
  private readonly disabled = new Set<string>()

  constructor(keys: readonly KeySource[]) {
    this.keys = keys
  }

  /** The key to use now: the current one unless cooling or disabled, else the next usable one. */
  pick(now: number): KeySource | undefined {
    for (let i = 0; i < this.keys.length; i++) {
      const index = (this.current + i) % this.keys.length
      const candidate = this.keys[index]
      if (this.disabled.has(candidate.key) || (this.coolUntil.get(candidate.key) ?? 0) > now) continue
      this.current = index
      return candidate
    }
    return undefined
  }

  /** Whether a key other than `key` can be used now. */
  hasOtherFree(key: string | undefined, now: number): boolean {
    return this.keys.some((k) => k.key !== key && !this.disabled.has(k.key) && (this.coolUntil.get(k.key) ?? 0) <= now)
  }

  coolDown(key: string, untilMs: number): void {
    this.coolUntil.set(key, untilMs)
  }

  disable(key: string): void {
    this.disabled.add(key)
  }

  /** Keys that are not disabled (cooling ones included). */
  usableCount(): number {
    return this.keys.filter((k) => !this.disabled.has(k.key)).length
  }

  /** Milliseconds until the first cooling (not disabled) key is free again; 0 when one is free. */
  waitMs(now: number): number {
    const waits = this.keys.filter((k) => !this.disabled.has(k.key)).map((k) => Math.max(0, (this.coolUntil.get(k.key) ?? 0) - now))
    return waits.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...waits)
  }
}

/**
 * Key pools of every provider, kept by the long-lived runtime (gateway) or one CLI run. A pool is
 * rebuilt when its key list changes, which is how "disabled until the config changes" ends.
 */
export class KeyPools {
  /** The providers' keep-alive connections, which live as long as the key state (one per runner). */
  readonly http = new HttpAgents()
  private readonly pools = new Map<string, {signature: string; pool: KeyPool}>()

  forProvider(provider: string, keys: readonly KeySource[]): KeyPool {
    const signature = keys.map((k) => k.key).join('\n')
    const existing = this.pools.get(provider)
    if (existing !== undefined && existing.signature === signature) return existing.pool
    const pool = new KeyPool(keys)
    this.pools.set(provider, {signature, pool})
    return pool
  }
}
