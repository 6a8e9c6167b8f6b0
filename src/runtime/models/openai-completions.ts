import {AssistantBuilder} from './assistant-builder.js'
import {ModelHttpRequest} from './http-stream.js'
import {kindForStreamError, modelError} from './model-error.js'
import {openAiBody, openAiHeaders} from './openai-request.js'
import type {ModelProvider, ModelRequest, ModelStreamEvent} from './provider.js'
import type {StopReason} from './messages.js'

interface ToolCallAccumulator {
  id?: string
  name: string
  arguments: string
}

const FINISH: Record<string, StopReason> = {stop: 'stop', length: 'length', tool_calls: 'toolUse', function_call: 'toolUse'}

/**
 * OpenAI chat completions (and every compatible server: OpenRouter, Moonshot, MiniMax, Groq,
 * Ollama, LM Studio, vLLM, llama.cpp): `POST <baseUrl>/chat/completions`, SSE chunks accumulated
 * by `delta`, tool calls by `index` (runtime.md §8.3).
 */
export const openAiCompletionsProvider: ModelProvider = {
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const {model} = request
    const url = `${model.baseUrl}/chat/completions`
    const {body, stream} = openAiBody(request)
    const http = new ModelHttpRequest({url, headers: openAiHeaders(request), body, model, signal: request.signal, agents: request.agents})
    const response = await http.send()
    const builder = new AssistantBuilder(model, request.tools)
    const calls = new Map<number, ToolCallAccumulator>()
    const fail = (message: string, kind: 'server' | 'network' = 'server') => modelError(message, {kind, provider: model.provider, model: model.model, url})

    if (!stream) {
      const doc = (await http.json(response)) as {choices?: Array<{message?: Record<string, unknown>; finish_reason?: string}>; usage?: Record<string, unknown>; error?: {message?: string; type?: string}}
      if (doc.error !== undefined) throw modelError(`${model.provider}: ${doc.error.message ?? 'error'}`, {kind: kindForStreamError(doc.error.type ?? '', doc.error.message ?? ''), provider: model.provider, model: model.model, url})
      const choice = doc.choices?.[0]
      if (choice === undefined) throw fail(`${model.provider} answered without choices`)
      yield* applyDelta(builder, calls, choice.message ?? {})
      yield* finishCalls(builder, calls)
      if (doc.usage !== undefined) yield* builder.setUsage(usageOf(doc.usage))
      builder.stopReason = mapFinish(choice.finish_reason, calls.size)
      yield* builder.finish()
      return
    }

    let finished = false
    let sawDone = false
    for await (const event of http.events(response)) {
      if (event.data === '[DONE]') {
        sawDone = true
        break
      }
      let chunk: {choices?: Array<{delta?: Record<string, unknown>; finish_reason?: string | null}>; usage?: Record<string, unknown> | null; error?: {message?: string; type?: string; code?: string}}
      try {
        chunk = JSON.parse(event.data)
      } catch {
        throw fail(`${model.provider} sent a malformed stream chunk: ${event.data.slice(0, 120)}`)
      }
      if (chunk.error !== undefined && chunk.error !== null) {
        const message = chunk.error.message ?? 'stream error'
        throw modelError(`${model.provider} stream error: ${message}`, {kind: kindForStreamError(`${chunk.error.type ?? ''} ${chunk.error.code ?? ''}`, message), provider: model.provider, model: model.model, url})
      }
      const choice = chunk.choices?.[0]
      if (choice?.delta !== undefined) yield* applyDelta(builder, calls, choice.delta)
      if (choice?.finish_reason !== undefined && choice.finish_reason !== null) {
        finished = true
        builder.stopReason = mapFinish(choice.finish_reason, calls.size)
      }
      if (chunk.usage !== undefined && chunk.usage !== null) yield* builder.setUsage(usageOf(chunk.usage))
    }
    if (!finished && !sawDone) throw fail(`${model.provider} stream ended before the answer was complete`, 'network')
    const stopReason = builder.stopReason
    yield* finishCalls(builder, calls)
    builder.stopReason = stopReason ?? (calls.size > 0 ? 'toolUse' : 'stop')
    yield* builder.finish()
  },
}

function mapFinish(reason: string | null | undefined, calls: number): StopReason {
  if (reason === undefined || reason === null) return calls > 0 ? 'toolUse' : 'stop'
  return FINISH[reason] ?? 'error'
}

function* applyDelta(builder: AssistantBuilder, calls: Map<number, ToolCallAccumulator>, delta: Record<string, unknown>): Generator<ModelStreamEvent> {
  const reasoning = delta.reasoning_content ?? delta.reasoning
  if (typeof reasoning === 'string') yield* builder.thinkingDelta(reasoning)
  if (typeof delta.content === 'string') yield* builder.textDelta(delta.content)
  if (Array.isArray(delta.tool_calls)) {
    delta.tool_calls.forEach((raw: {index?: number; id?: string; function?: {name?: string; arguments?: string}}, position: number) => {
      const index = typeof raw.index === 'number' ? raw.index : position
      const acc = calls.get(index) ?? {name: '', arguments: ''}
      if (typeof raw.id === 'string' && raw.id !== '') acc.id = raw.id
      if (typeof raw.function?.name === 'string') acc.name += raw.function.name
      if (typeof raw.function?.arguments === 'string') acc.arguments += raw.function.arguments
      else if (raw.function?.arguments !== undefined && raw.function.arguments !== null) acc.arguments += JSON.stringify(raw.function.arguments)
      calls.set(index, acc)
    })
  }
}

function* finishCalls(builder: AssistantBuilder, calls: Map<number, ToolCallAccumulator>): Generator<ModelStreamEvent> {
  for (const index of [...calls.keys()].sort((a, b) => a - b)) {
    const call = calls.get(index)!
    yield* builder.toolCall(call.id, call.name, call.arguments)
  }
}

function usageOf(raw: Record<string, unknown>) {
  const num = (v: unknown) => (typeof v === 'number' ? v : 0)
  const details = (raw.prompt_tokens_details ?? {}) as Record<string, unknown>
  const cacheRead = num(details.cached_tokens)
  const input = num(raw.prompt_tokens) - cacheRead
  const output = num(raw.completion_tokens)
  return {input, output, cacheRead, cacheWrite: 0, totalTokens: num(raw.total_tokens) || input + output + cacheRead}
}
