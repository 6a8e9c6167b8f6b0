/**
 * The final payload of a run (runtime.md §8.1): the text parts of the last assistant message,
 * trimmed. Exactly `NO_REPLY` (or nothing) means no delivery; `NO_REPLY` at the start or end of
 * other text is stripped.
 */
import type {AssistantMessage} from '../../models/messages.js'

export const SILENT_TOKEN = 'NO_REPLY'

/** Joined text parts of an assistant message (thinking and tool calls never reach a channel). */
export function assistantText(message: AssistantMessage | undefined): string {
  if (message === undefined) return ''
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
}

/** The text to deliver, or '' for "send nothing". */
export function finalPayloadText(text: string): string {
  let out = text.trim()
  if (out === SILENT_TOKEN) return ''
  if (out.startsWith(SILENT_TOKEN)) out = out.slice(SILENT_TOKEN.length).trim()
  if (out.endsWith(SILENT_TOKEN)) out = out.slice(0, -SILENT_TOKEN.length).trim()
  return out
}
