/**
 * The presence list (protocol.md §6.2 PresenceEntry): the gateway itself plus one entry per
 * connected client, keyed by `instanceId` (else `connId`). One-shot modes (`cli`, `probe`) are
 * not listed so they do not churn it. `version` is `stateVersion.presence`.
 */
import type {PresenceEntry} from '../protocol/snapshots.js'

/** Most entries kept, the gateway's own included; the oldest client entry makes room. */
export const MAX_PRESENCE_ENTRIES = 200

const UNLISTED_MODES = new Set(['cli', 'probe'])

interface OwnedEntry {
  connId: string
  entry: PresenceEntry
}

export class PresenceList {
  private readonly entries = new Map<string, OwnedEntry>()
  private counter = 0

  constructor(private readonly self: () => PresenceEntry) {}

  /** `stateVersion.presence`: starts at 0, +1 per change. */
  get version(): number {
    return this.counter
  }

  /** Whether a client in `mode` appears in the list at all. */
  static listed(mode: string): boolean {
    return !UNLISTED_MODES.has(mode)
  }

  /** Adds or replaces the entry for `key`; false (no change) for unlisted modes. */
  upsert(key: string, connId: string, entry: PresenceEntry): boolean {
    if (!PresenceList.listed(entry.mode ?? '')) return false
    this.entries.delete(key)
    this.entries.set(key, {connId, entry})
    if (this.entries.size > MAX_PRESENCE_ENTRIES - 1) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.counter += 1
    return true
  }

  /** Removes `key` if `connId` still owns it (a reconnect with the same instanceId may have replaced it). */
  remove(key: string, connId: string): boolean {
    const owned = this.entries.get(key)
    if (owned === undefined || owned.connId !== connId) return false
    this.entries.delete(key)
    this.counter += 1
    return true
  }

  /** The gateway first, then clients in connect order. */
  list(): PresenceEntry[] {
    const out = [this.self()]
    for (const {entry} of this.entries.values()) out.push(entry)
    return out
  }
}
