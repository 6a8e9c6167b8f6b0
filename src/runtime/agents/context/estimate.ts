/**
 * Token estimates for the context budget (runtime.md §8.6): characters / 4, corrected by how far
 * the provider's reported input tokens were from our estimate of the previous request. Pure.
 */
import type {ConversationMessage, Usage} from '../../models/messages.js'
import type {ToolDefinition} from '../../models/provider.js'

/** Characters per token of the plain estimate. */
export const CHARS_PER_TOKEN = 4
/** An image counts as this many characters (its base64 size says nothing about its tokens). */
export const IMAGE_CHARS = 4800
/** The correction ratio is clamped to this range, so one odd usage report cannot swing the budget. */
export const RATIO_MIN = 0.5
export const RATIO_MAX = 2

/** Characters of one message as the model sees them (text, thinking, tool calls, results, images). */
export function messageChars(message: ConversationMessage): number {
  // Messages are immutable once built (a hot session's context keeps the same objects across turns):
  // each is counted once, not on every turn's budget check.
  const known = charsOfMessage.get(message)
  if (known !== undefined) return known
  const chars = countChars(message)
  charsOfMessage.set(message, chars)
  return chars
}

const charsOfMessage = new WeakMap<ConversationMessage, number>()

function countChars(message: ConversationMessage): number {
  let chars = 0
  for (const part of message.content) {
    if (part.type === 'text') chars += part.text.length
    else if (part.type === 'image') chars += IMAGE_CHARS
    else if (part.type === 'thinking') chars += part.thinking.length
    else chars += part.name.length + JSON.stringify(part.arguments ?? {}).length
  }
  return chars
}

/** Characters of the fixed part of every request: the system prompt and the tool definitions. */
export function fixedChars(system: string, tools: readonly ToolDefinition[]): number {
  let chars = charsOfTools.get(tools)
  if (chars === undefined) {
    chars = tools.reduce((sum, tool) => sum + tool.name.length + tool.description.length + JSON.stringify(tool.parameters).length, 0)
    charsOfTools.set(tools, chars)
  }
  return system.length + chars
}

/** Tool lists are reused across turns (the run's registry is cached per config generation). */
const charsOfTools = new WeakMap<readonly ToolDefinition[], number>()

/** Estimated tokens of `chars` characters under the correction `ratio`. */
export function tokensOf(chars: number, ratio = 1): number {
  return Math.ceil((chars / CHARS_PER_TOKEN) * ratio)
}

/** Estimated tokens of a whole request. */
export function requestTokens(messages: readonly ConversationMessage[], fixed: number, ratio = 1): number {
  return tokensOf(fixed + messages.reduce((sum, message) => sum + messageChars(message), 0), ratio)
}

/** The input tokens a provider reported for a request (cached tokens count: they occupy the window). */
export function reportedInput(usage: Usage | undefined): number {
  if (usage === undefined) return 0
  return usage.input + usage.cacheRead + usage.cacheWrite
}

/** `reported / estimated`, clamped to [0.5, 2]; 1 when either is unknown. */
export function correctionRatio(reported: number, estimated: number): number {
  if (!(reported > 0) || !(estimated > 0)) return 1
  return Math.min(RATIO_MAX, Math.max(RATIO_MIN, reported / estimated))
}

/**
 * The correction for the next request, from the history itself (so it survives restarts): the last
 * assistant message with reported usage answered a request made of the messages before it. `prepare`
 * turns that prefix into what was sent (stage 1 is deterministic).
 */
export function ratioFromHistory(messages: readonly ConversationMessage[], fixed: number, prepare: (prefix: ConversationMessage[]) => ConversationMessage[] = (prefix) => prefix): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message.role !== 'assistant' || message.stopReason === 'error' || message.stopReason === 'aborted') continue
    const reported = reportedInput(message.usage)
    if (reported <= 0) continue
    return correctionRatio(reported, requestTokens(prepare(messages.slice(0, i)), fixed))
  }
  return 1
}
