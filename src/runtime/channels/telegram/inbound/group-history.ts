/**
 * Group history (telegram.md §7.4): unmentioned messages of admitted senders, kept in memory per
 * (account, chat or topic) so the agent sees what was said before it was addressed. Bounded three
 * ways: `historyLimit` lines per chat, 24 h per line, 200 chats (least recently used evicted).
 * Lost on restart by design. The clock is passed in, so expiry is testable without waiting.
 */

export interface HistoryLine {
  name: string
  text: string
  at: number
}

export const HISTORY_MAX_AGE_MS = 24 * 60 * 60_000
export const HISTORY_MAX_CHATS = 200
/** One line's text is cut here: history is context, and memory stays bounded. */
export const HISTORY_LINE_MAX_CHARS = 500

export class GroupHistory {
  /** Map order is recency: a touched chat is re-inserted at the end, the first is the LRU. */
  private readonly chats = new Map<string, HistoryLine[]>()

  constructor(private readonly limits: {maxChats: number; maxAgeMs: number} = {maxChats: HISTORY_MAX_CHATS, maxAgeMs: HISTORY_MAX_AGE_MS}) {}

  /** Keeps one unmentioned message; `limit` 0 keeps nothing. */
  record(key: string, line: HistoryLine, limit: number): void {
    if (limit <= 0) return
    const lines = this.chats.get(key) ?? []
    this.chats.delete(key)
    lines.push({...line, text: line.text.length > HISTORY_LINE_MAX_CHARS ? `${line.text.slice(0, HISTORY_LINE_MAX_CHARS)}…` : line.text})
    this.chats.set(key, lines.slice(-limit))
    while (this.chats.size > this.limits.maxChats) this.chats.delete(this.chats.keys().next().value as string)
  }

  /** The chat's lines not older than the age limit, oldest first; the chat's history is cleared. */
  take(key: string, now: number): HistoryLine[] {
    const lines = this.chats.get(key) ?? []
    this.chats.delete(key)
    return lines.filter((line) => now - line.at <= this.limits.maxAgeMs)
  }

  size(): number {
    return this.chats.size
  }
}

/** `<accountId>:<peer id>`: a forum topic's peer id already names its topic. */
export function historyKey(accountId: string, peerId: string): string {
  return `${accountId}:${peerId}`
}

/** The §7.4 block above the current message; the text unchanged when there is no history. Pure. */
export function withHistory(lines: readonly HistoryLine[], text: string): string {
  if (lines.length === 0) return text
  return ['[Recent messages in this chat]', ...lines.map((line) => `${line.name}: ${line.text}`), '', text].join('\n')
}
