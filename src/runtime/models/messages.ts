/**
 * The conversation model shared by the transcript (runtime.md §5.3), the providers (§8.3) and the
 * run loop (§8.1). Shapes are those of transcript format 3, so a transcript line's `message` is
 * one of these verbatim and upstream OpenClaw files read in place.
 */

export interface TextPart {
  type: 'text'
  text: string
}

/** User images, base64 without a data: prefix. */
export interface ImagePart {
  type: 'image'
  mimeType: string
  data: string
}

export interface ThinkingPart {
  type: 'thinking'
  thinking: string
}

export interface ToolCallPart {
  type: 'toolCall'
  /** Provider-issued id (`call_…` / `toolu_…`); tool results refer to it. */
  id: string
  name: string
  arguments: Record<string, unknown>
}

export type UserPart = TextPart | ImagePart
export type AssistantPart = TextPart | ThinkingPart | ToolCallPart

/** Token counts as providers report them; 0 when unreported. */
export interface Usage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  totalTokens: number
}

export type StopReason = 'stop' | 'length' | 'toolUse' | 'error' | 'aborted'

export interface UserMessage {
  role: 'user'
  content: UserPart[]
  /** Epoch ms. */
  timestamp: number
}

export interface AssistantMessage {
  role: 'assistant'
  content: AssistantPart[]
  /** `openai-completions` | `anthropic-messages` (the wire API actually used). */
  api: string
  provider: string
  model: string
  usage: Usage
  stopReason: StopReason
  errorMessage?: string
}

export interface ToolResultMessage {
  role: 'toolResult'
  toolCallId: string
  toolName: string
  content: UserPart[]
  isError: boolean
  /** Epoch ms. */
  timestamp: number
}

export type ConversationMessage = UserMessage | AssistantMessage | ToolResultMessage

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0})
