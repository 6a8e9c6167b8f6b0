/**
 * The summarization request of a compaction (runtime.md §8.6): a fixed prompt asking for decisions,
 * facts, open tasks, names and paths, over the previous summary and the older part of the
 * conversation rendered as text (so no tool-call pairing rules apply). Pure.
 */
import type {ConversationMessage, UserMessage} from '../../models/messages.js'
import {TOOL_RESULT_KEEP_CHARS} from './history-trim.js'

/** Output cap of a summary (tokens). */
export const SUMMARY_MAX_TOKENS = 4096

export const SUMMARY_SYSTEM_PROMPT = [
  'You compact the history of a conversation between a user and an AI assistant, so the assistant can continue it with a limited context window.',
  'Write a summary another assistant can pick the work up from. Keep, in short sections:',
  '- Decisions: what was decided, and why.',
  '- Facts: what was learned (values, settings, errors and their causes, results of commands and tools).',
  '- Open tasks: what is unfinished or was about to happen next, and what the user asked for last.',
  '- Names and paths: people, projects, tools, file paths, commands, URLs and identifiers, written exactly.',
  'Merge the previous summary, when there is one, with the newer conversation; drop small talk.',
  'Do not answer or continue the conversation: output only the summary, as plain text.',
].join('\n')

/** Marks where the oldest part of an overlong history was left out of the summary request. */
export function leftOutNote(chars: number): string {
  return `[${chars} chars of the oldest conversation left out]`
}

/** One line per message: `User:`, `Assistant:`, `Assistant called <tool> <args>`, `Result of <tool>:`. */
export function renderConversation(messages: readonly ConversationMessage[]): string[] {
  const out: string[] = []
  for (const message of messages) {
    if (message.role === 'user') {
      out.push(`User: ${message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n')}`)
    } else if (message.role === 'assistant') {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
      if (text.trim() !== '') out.push(`Assistant: ${text}`)
      for (const part of message.content) if (part.type === 'toolCall') out.push(`Assistant called ${part.name} ${JSON.stringify(part.arguments)}`)
    } else {
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('')
      const clipped = text.length > TOOL_RESULT_KEEP_CHARS ? `${text.slice(0, TOOL_RESULT_KEEP_CHARS)} [… ${text.length} chars in total]` : text
      out.push(`Result of ${message.toolName}${message.isError ? ' (error)' : ''}: ${clipped}`)
    }
  }
  return out
}

/**
 * The one user message of the summary request. When the rendered conversation exceeds `maxChars`,
 * its oldest lines are left out (the previous summary always stays).
 */
export function summaryRequestMessage(input: {previousSummary?: string; older: readonly ConversationMessage[]; maxChars: number; now: number}): UserMessage {
  const previous = input.previousSummary === undefined ? '' : `<previous-summary>\n${input.previousSummary}\n</previous-summary>\n\n`
  const lines = renderConversation(input.older)
  let room = Math.max(0, input.maxChars - previous.length - 200)
  const kept: string[] = []
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].length + 1 > room) {
      kept.unshift(leftOutNote(lines.slice(0, i + 1).reduce((sum, line) => sum + line.length + 1, 0)))
      break
    }
    room -= lines[i].length + 1
    kept.unshift(lines[i])
  }
  const text = `${previous}<conversation>\n${kept.join('\n')}\n</conversation>\n\nSummarize the conversation above (with the previous summary, if any) as instructed.`
  return {role: 'user', content: [{type: 'text', text}], timestamp: input.now}
}
