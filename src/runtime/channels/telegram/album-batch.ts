/**
 * Albums (telegram.md §8: "messages sharing a `media_group_id` SHOULD be merged into one envelope
 * when they arrive within 500 ms"). Telegram sends an album as one update per photo, and a long
 * poll may return the first before the others exist. So the poll loop plans each batch: an album
 * becomes one unit (its first update plus the other parts), and an album that may still grow
 * (its last part was first seen < 500 ms ago, fewer than 10 parts, < 5 s since its first part)
 * cuts the batch there. Nothing from the cut on is accepted in this round: the committed offset
 * stays before it, so Telegram keeps those updates (durably, as for any uncommitted update) and
 * the next poll, after the hold, fetches them again with whatever parts came meanwhile. Pure.
 */

/** A batch member: one update, or an album (its first update, the other parts in order). */
export interface BatchUnit<U> {
  update: U
  parts: U[]
}

export interface AlbumTiming {
  /** Quiet time after the last part before the album counts as complete (500 ms). */
  quietMs: number
  /** Telegram albums hold at most 10 items: at that count it is complete at once. */
  maxParts: number
  /** An album is never held longer than this after its first part was seen. */
  maxWaitMs: number
}

export const ALBUM_TIMING: AlbumTiming = {quietMs: 500, maxParts: 10, maxWaitMs: 5000}

interface UpdateLike {update_id: number; message?: {chat?: {id?: number}; media_group_id?: string}}

/** `<chat>:<media_group_id>` of an album part, else undefined. */
export function albumKey(update: UpdateLike): string | undefined {
  const message = update.message
  return message?.media_group_id === undefined ? undefined : `${message.chat?.id ?? ''}:${message.media_group_id}`
}

/**
 * Splits a batch into units up to the first album that may still grow. `seenAt` (update id → when
 * this process first fetched it) is kept by the caller across polls. `holdUntil` is when to poll
 * again for the cut-off rest (null: nothing held).
 */
export function planBatch<U extends UpdateLike>(updates: readonly U[], seenAt: ReadonlyMap<number, number>, now: number, timing: AlbumTiming = ALBUM_TIMING): {units: Array<BatchUnit<U>>; holdUntil: number | null} {
  const groups = new Map<string, {first: number; last: number; parts: U[]}>()
  updates.forEach((update, index) => {
    const key = albumKey(update)
    if (key === undefined) return
    const group = groups.get(key)
    if (group === undefined) groups.set(key, {first: index, last: index, parts: [update]})
    else {
      group.last = index
      group.parts.push(update)
    }
  })
  let cut = updates.length
  let holdUntil: number | null = null
  for (const group of groups.values()) {
    const seen = group.parts.map((part) => seenAt.get(part.update_id) ?? now)
    const releaseAt = Math.min(Math.max(...seen) + timing.quietMs, Math.min(...seen) + timing.maxWaitMs)
    if (group.parts.length >= timing.maxParts || now >= releaseAt) continue
    cut = Math.min(cut, group.first)
    holdUntil = Math.min(holdUntil ?? releaseAt, releaseAt)
  }
  // A complete album whose parts reach past the cut waits too: its parts are accepted together or not at all.
  for (let moved = true; moved;) {
    moved = false
    for (const group of groups.values()) {
      if (group.first < cut && group.last >= cut) {
        cut = group.first
        moved = true
      }
    }
  }
  const units: Array<BatchUnit<U>> = []
  const taken = new Set<string>()
  for (const update of updates.slice(0, cut)) {
    const key = albumKey(update)
    if (key === undefined) units.push({update, parts: []})
    else if (!taken.has(key)) {
      taken.add(key)
      units.push({update, parts: groups.get(key)!.parts.slice(1)})
    }
  }
  return {units, holdUntil}
}
