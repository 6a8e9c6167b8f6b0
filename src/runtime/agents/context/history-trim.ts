/**
 * Stage 1 of the context budget (runtime.md §8.6), applied to the request only (the transcript is
 * never touched): big old tool results become a short note, old images are dropped; and the last
 * resort before giving up, cutting the oldest tool results to 2000 chars. Pure.
 */
import type {ConversationMessage, ToolResultMessage, UserPart} from '../../models/messages.js'

/** Tool results longer than this are omitted when old, or cut to it as a last resort. */
export const TOOL_RESULT_KEEP_CHARS = 2000

export function omittedNote(chars: number): string {
  return `[tool output omitted (${chars} chars); run the tool again if needed]`
}

/** Replaces the images of an old message (a message left without content would be rejected). */
export const IMAGE_DROPPED_NOTE = '[image omitted]'

/**
 * Tool results over 2000 chars older than the last two user turns become the omitted note; images
 * older than the last user turn are dropped. Returns a new array; unchanged messages are shared.
 */
export function trimHistory(messages: readonly ConversationMessage[]): ConversationMessage[] {
  // Runs on every turn over the whole history: one backward scan for the last two user turns, and
  // a copy only of the messages that change.
  let lastUser = -1
  let secondLastUser = -1
  for (let i = messages.length - 1; i >= 0 && secondLastUser < 0; i--) {
    if (messages[i].role !== 'user') continue
    if (lastUser < 0) lastUser = i
    else secondLastUser = i
  }
  if (lastUser < 0) lastUser = secondLastUser = messages.length
  else if (secondLastUser < 0) secondLastUser = 0
  const out = messages.slice()
  for (let index = 0; index < lastUser; index++) {
    const message = out[index]
    let next = message
    if (index < secondLastUser && message.role === 'toolResult') {
      const chars = resultChars(message)
      if (chars > TOOL_RESULT_KEEP_CHARS) next = {...message, content: [{type: 'text', text: omittedNote(chars)}]}
    }
    if (next.role !== 'assistant' && hasImage(next.content)) next = {...next, content: dropImages(next.content)}
    if (next !== message) out[index] = next
  }
  return out
}

function hasImage(content: readonly {type: string}[]): boolean {
  for (const part of content) if (part.type === 'image') return true
  return false
}

/**
 * The last resort: cut tool results to 2000 chars, oldest first, until `fits` says the request fits.
 * Returns the messages as far as they were cut and whether they fit.
 */
export function cutToolResults(messages: readonly ConversationMessage[], fits: (messages: ConversationMessage[]) => boolean): {messages: ConversationMessage[]; fits: boolean} {
  const out = [...messages]
  if (fits(out)) return {messages: out, fits: true}
  for (let i = 0; i < out.length; i++) {
    const message = out[i]
    if (message.role !== 'toolResult') continue
    const chars = resultChars(message)
    if (chars <= TOOL_RESULT_KEEP_CHARS) continue
    out[i] = {...message, content: [{type: 'text', text: `${resultText(message).slice(0, TOOL_RESULT_KEEP_CHARS)}\n[… cut to ${TOOL_RESULT_KEEP_CHARS} of ${chars} chars]`}]}
    if (fits(out)) return {messages: out, fits: true}
  }
  return {messages: out, fits: false}
}

function resultText(message: ToolResultMessage): string {
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
}

function resultChars(message: ToolResultMessage): number {
  // Every turn re-checks every old tool result: each is measured once (messages are immutable).
  let chars = charsOfResult.get(message)
  if (chars === undefined) charsOfResult.set(message, (chars = resultText(message).length))
  return chars
}

const charsOfResult = new WeakMap<ToolResultMessage, number>()

function dropImages(content: UserPart[]): UserPart[] {
  const kept = content.filter((part) => part.type !== 'image')
  return kept.length === content.length ? content : [...kept, {type: 'text', text: IMAGE_DROPPED_NOTE}]
}
