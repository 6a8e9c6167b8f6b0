/**
 * The step DSL of the fake model server (runtime.md §10). A step scripts the answer to one
 * request and is rendered in the dialect of the endpoint that receives it, so the same script
 * drives the OpenAI chat-completions and the Anthropic messages adapters.
 */

/** A request as the fake recorded it. */
export interface RecordedRequest {
  /** `/v1/chat/completions` or `/v1/messages`. */
  path: string
  dialect: Dialect
  /** Header names lower-cased. */
  headers: Record<string, string>
  /** The parsed JSON body (the raw text when it was not JSON). */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
  receivedAt: number
  /** True when the client closed the connection before the response ended. */
  aborted: boolean
  /** Which TCP connection carried it (1 = the server's first): equal numbers mean a kept-alive socket was reused. */
  connection: number
}

export type Dialect = 'openai' | 'anthropic'

export interface FakeUsage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

export interface FakeToolCall {
  /** Defaults to `call_<n>` (OpenAI) or `toolu_<n>` (Anthropic). */
  id?: string
  name: string
  arguments: Record<string, unknown>
}

export interface ReplyStep {
  kind: 'reply'
  thinking?: string
  text: string[]
  toolCalls: FakeToolCall[]
  /** Reported usage; input defaults to the request size / 4, output to the reply size / 4. */
  usage?: Partial<FakeUsage>
  /** Pause before each chunk after the first (a slow stream). */
  delayMs?: number
  finishReason?: 'stop' | 'length'
  /** The response starts only once this settles: lets a test order events without timing. */
  holdUntil?: Promise<unknown>
}

export interface HttpErrorStep {
  kind: 'httpError'
  status: number
  /** Replaces the dialect's error body. */
  body?: unknown
  message?: string
  /** `retry-after` header: seconds, or an HTTP date string. */
  retryAfter?: number | string
  /** `retry-after-ms` header. */
  retryAfterMs?: number
}

export interface ContextOverflowStep {
  kind: 'contextOverflow'
}

export interface StreamErrorStep {
  kind: 'streamError'
  afterChunks: number
  /** disconnect: the socket is destroyed; sse-error: an error event; malformed: a line that is not JSON. */
  errorKind: 'disconnect' | 'sse-error' | 'malformed'
  text: string[]
}

export interface StallStep {
  kind: 'stall'
  afterChunks: number
  /** No bytes for this long, then the rest of the reply. */
  ms: number
  text: string[]
}

export interface HangStep {
  kind: 'hang'
  afterChunks: number
  text: string[]
}

export interface ExpectStep {
  kind: 'expect'
  /** Throws (e.g. an `expect` assertion) when the request is not what the test wants. */
  check: (request: RecordedRequest) => void
}

export type ResponseStep = ReplyStep | HttpErrorStep | ContextOverflowStep | StreamErrorStep | StallStep | HangStep
export type Step = ResponseStep | ExpectStep

interface TextOptions {
  delayMs?: number
  usage?: Partial<FakeUsage>
  finishReason?: 'stop' | 'length'
}

const PARTIAL_TEXT = ['Partial', ' answer', ' then', ' more']

function isTextOptions(value: unknown): value is TextOptions {
  return typeof value === 'object' && value !== null
}

/** A streamed text answer, one chunk per argument; an options object may come last. */
export function text(...chunks: Array<string | TextOptions>): ReplyStep {
  const last = chunks.at(-1)
  const options = isTextOptions(last) ? last : {}
  const parts = chunks.filter((c): c is string => typeof c === 'string')
  return {kind: 'reply', text: parts, toolCalls: [], ...options}
}

/** One tool call, optionally after some text. */
export function toolCall(name: string, args: Record<string, unknown>, options: {id?: string; text?: string; usage?: Partial<FakeUsage>} = {}): ReplyStep {
  return toolCalls([{id: options.id, name, arguments: args}], {text: options.text, usage: options.usage})
}

/** Several tool calls in one answer. */
export function toolCalls(calls: FakeToolCall[], options: {text?: string; usage?: Partial<FakeUsage>} = {}): ReplyStep {
  return {kind: 'reply', text: options.text === undefined ? [] : [options.text], toolCalls: calls, usage: options.usage}
}

/** Thinking streamed before the text or calls of `then` (alone: an answer with thinking only). */
export function thinking(thought: string, then: ReplyStep = text()): ReplyStep {
  return {...then, thinking: thought}
}

export function httpError(status: number, options: Omit<HttpErrorStep, 'kind' | 'status'> = {}): HttpErrorStep {
  return {kind: 'httpError', status, ...options}
}

/** The provider's "prompt too long" 400 in the endpoint's dialect. */
export function contextOverflow(): ContextOverflowStep {
  return {kind: 'contextOverflow'}
}

export function streamError(options: {afterChunks?: number; kind?: StreamErrorStep['errorKind']; text?: string[]} = {}): StreamErrorStep {
  return {kind: 'streamError', afterChunks: options.afterChunks ?? 1, errorKind: options.kind ?? 'disconnect', text: options.text ?? PARTIAL_TEXT}
}

export function stall(options: {afterChunks?: number; ms: number; text?: string[]}): StallStep {
  return {kind: 'stall', afterChunks: options.afterChunks ?? 1, ms: options.ms, text: options.text ?? PARTIAL_TEXT}
}

/** Streams `afterChunks` chunks (default none), then sends nothing until the client aborts. */
export function hang(options: {afterChunks?: number; text?: string[]} = {}): HangStep {
  return {kind: 'hang', afterChunks: options.afterChunks ?? 0, text: options.text ?? PARTIAL_TEXT}
}

/** Asserts on the next request; consumed together with the response step that follows it. */
export function expectRequest(check: (request: RecordedRequest) => void): ExpectStep {
  return {kind: 'expect', check}
}
