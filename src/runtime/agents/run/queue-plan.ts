/**
 * The pure part of the per-session queue (runtime.md §8.5): admitting a message that arrives during
 * an active run (cap, oldest dropped), and turning what waits into turns per mode. The runner owns
 * the I/O (markers, lanes, debounce timers); this file only decides.
 */
export type QueueMode = 'collect' | 'followup' | 'steer' | 'interrupt'

export interface QueuedMessage {
  runId: string
  text: string
  /** Who sent it (channel sender name; empty for operator runs). */
  senderName: string
  at: number
  /** Delivery target (channel, account, peer, thread): collected messages drain per target. */
  target: string
  dedupeKeys: string[]
}

export interface PlannedTurn {
  members: QueuedMessage[]
  text: string
}

/** Gateway-wide: beyond this many queued messages new arrivals are dropped (§8.5). */
export const GLOBAL_QUEUE_LIMIT = 1000

export const COLLECT_HEADER = '[Messages that arrived while you were busy]'

/** Adds `message` to `queue` under `cap`; the oldest overflow is returned as `dropped`. */
export function enqueue(queue: readonly QueuedMessage[], message: QueuedMessage, cap: number): {queue: QueuedMessage[]; dropped: QueuedMessage[]} {
  const next = [...queue, message]
  const over = Math.max(0, next.length - Math.max(1, cap))
  return {queue: next.slice(over), dropped: next.slice(0, over)}
}

/** `[N earlier messages were dropped: - Alice: <first 80 chars> …]`, or '' when none were. */
export function droppedNote(dropped: readonly QueuedMessage[]): string {
  if (dropped.length === 0) return ''
  const items = dropped.map((message) => `- ${message.senderName === '' ? 'you' : message.senderName}: ${clip(message.text, 80)}`)
  return `[${dropped.length} earlier message${dropped.length === 1 ? ' was' : 's were'} dropped: ${items.join(' ')}]`
}

/**
 * The turns that drain `queue` once the active run ended: `collect` makes one turn per delivery
 * target (targets in order of their first message), every other mode one turn per message. The
 * dropped note goes in front of the first turn.
 */
export function planTurns(queue: readonly QueuedMessage[], mode: QueueMode, dropped: readonly QueuedMessage[] = [], timeZone?: string): PlannedTurn[] {
  let groups: QueuedMessage[][]
  if (mode === 'collect') {
    const byTarget = new Map<string, QueuedMessage[]>()
    for (const message of queue) byTarget.set(message.target, [...(byTarget.get(message.target) ?? []), message])
    groups = [...byTarget.values()]
  } else {
    groups = queue.map((message) => [message])
  }
  const note = droppedNote(dropped)
  return groups.map((members, index) => {
    const body = members.length === 1 ? members[0].text : collectText(members, timeZone)
    return {members, text: index === 0 && note !== '' ? `${note}\n${body}` : body}
  })
}

/** The collected turn's text: the header, then `--- #1 · Alice · 14:02` and the text per message. */
export function collectText(members: readonly QueuedMessage[], timeZone?: string): string {
  const parts = members.map((message, index) => {
    const who = message.senderName === '' ? '' : ` · ${message.senderName}`
    return `--- #${index + 1}${who} · ${clock(message.at, timeZone)}\n${message.text}`
  })
  return [COLLECT_HEADER, ...parts].join('\n')
}

function clock(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone === undefined ? {} : {timeZone})}).format(new Date(at))
}

function clip(text: string, max: number): string {
  const flat = text.replaceAll(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`
}
