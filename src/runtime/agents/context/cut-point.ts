/**
 * Where a compaction cuts the history (runtime.md §8.6): at a user message, so the kept tail is
 * about `keepRecent` tokens and a tool call is never separated from its result. Pure.
 */
import type {ConversationMessage} from '../../models/messages.js'
import {messageChars, tokensOf} from './estimate.js'

export interface CutPoint {
  /** Index of the first kept message: everything before it is summarized. */
  index: number
  /** Its transcript line id (the compaction's `firstKeptEntryId`). */
  entryId: string
}

/**
 * The earliest user message (not the first message) whose tail fits `keepRecent` tokens; when even
 * the last user turn is larger, that last user message (the current turn is always kept). Without a
 * user boundary after the start (one long tool loop), the same rule over assistant messages, which
 * also never split a call from its result. Only messages with a transcript id can start the kept
 * tail. null when there is nothing to summarize.
 */
export function findCutPoint(messages: readonly ConversationMessage[], entryIds: ReadonlyArray<string | null>, keepRecent: number, ratio = 1): CutPoint | null {
  const tail: number[] = new Array<number>(messages.length + 1).fill(0)
  for (let i = messages.length - 1; i >= 0; i--) tail[i] = tail[i + 1] + messageChars(messages[i])
  const boundaries = (role: 'user' | 'assistant') => messages.flatMap((message, index) => (index > 0 && message.role === role && typeof entryIds[index] === 'string' ? [index] : []))
  let candidates = boundaries('user')
  if (candidates.length === 0) candidates = boundaries('assistant')
  if (candidates.length === 0) return null
  const index = candidates.find((at) => tokensOf(tail[at], ratio) <= keepRecent) ?? (candidates.at(-1) as number)
  return {index, entryId: entryIds[index] as string}
}
