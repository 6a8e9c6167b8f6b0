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
  const userAt = messages.flatMap((message, index) => (message.role === 'user' ? [index] : []))
  const lastUser = userAt.at(-1) ?? messages.length
  const secondLastUser = userAt.at(-2) ?? (userAt.length > 0 ? 0 : messages.length)
  return messages.map((message, index) => {
    let next = message
    if (index < secondLastUser && message.role === 'toolResult') {
      const chars = resultChars(message)
      if (chars > TOOL_RESULT_KEEP_CHARS) next = {...message, content: [{type: 'text', text: omittedNote(chars)}]}
    }
    if (index < lastUser && next.role !== 'assistant' && next.content.some((part) => part.type === 'image')) next = {...next, content: dropImages(next.content)}
    return next
  })
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
  return resultText(message).length
}

function dropImages(content: UserPart[]): UserPart[] {
  const kept = content.filter((part) => part.type !== 'image')
  return kept.length === content.length ? content : [...kept, {type: 'text', text: IMAGE_DROPPED_NOTE}]
}
