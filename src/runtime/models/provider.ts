/**
 * The model-provider seam (runtime.md §8.3): one `stream` call per model request. Implementations
 * (OpenAI chat completions, Anthropic messages) live beside this file; the run loop sees only
 * these types. Provider errors are thrown as AppError with a `details.kind` of
 * {@link ModelErrorKind}, so retry/failover classifies them without knowing the wire format.
 */
import type {HttpAgents} from '../net/http-agents.js'
import type {ModelCompat} from './compat.js'
import type {AssistantMessage, ConversationMessage, Usage} from './messages.js'

/** A tool as offered to the model: JSON Schema parameters. */
export interface ToolDefinition {
  name: string
  description: string
  parameters: Record<string, unknown>
}

/** A fully resolved model candidate: provider preset + config merged, key chosen. */
export interface ResolvedModel {
  /** `provider/model` as written in config. */
  ref: string
  provider: string
  model: string
  api: 'openai-completions' | 'anthropic-messages'
  baseUrl: string
  headers: Record<string, string>
  contextWindow: number
  maxTokens: number
  input: Array<'text' | 'image'>
  reasoning: boolean
  /** Stream idle timeout (ms). */
  idleTimeoutMs: number
  /** Wire quirks, resolved (runtime.md §8.3 compat flags). */
  compat: ModelCompat
  /** Extra request-body fields (provider, model and `agents.defaults.models` params merged). */
  params: Record<string, unknown>
  /** A local server preset or loopback/private base URL: the API key is optional. */
  local: boolean
}

export interface ModelRequest {
  model: ResolvedModel
  /** The API key for this attempt, or undefined for keyless local servers. */
  apiKey: string | undefined
  system: string
  messages: ConversationMessage[]
  tools: ToolDefinition[]
  signal: AbortSignal
  /** Reasoning effort for models marked `reasoning` (OpenAI `reasoning_effort`, Anthropic thinking budget). */
  thinkingLevel?: 'off' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh'
  /** Keep-alive connections kept across requests (the runner's); Node's global agent without them. */
  agents?: HttpAgents
}

/** What a stream yields, in order; exactly one `done` last when it completes. */
export type ModelStreamEvent =
  | {type: 'text'; delta: string}
  | {type: 'thinking'; delta: string}
  | {type: 'toolCall'; id: string; name: string; arguments: Record<string, unknown>}
  | {type: 'usage'; usage: Usage}
  | {type: 'done'; message: AssistantMessage}

export interface ModelProvider {
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>
}

/** How a failed request is classified for retry, key rotation and fallback (runtime.md §8.4). */
export type ModelErrorKind = 'rate_limit' | 'auth' | 'billing' | 'not_found' | 'overloaded' | 'server' | 'timeout' | 'network' | 'context_overflow' | 'bad_request' | 'aborted'
