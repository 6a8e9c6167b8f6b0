import {anthropicBody, anthropicHeaders, anthropicUrl} from './anthropic-request.js'
import {AssistantBuilder} from './assistant-builder.js'
import {ModelHttpRequest} from './http-stream.js'
import type {StopReason} from './messages.js'
import {kindForStreamError, modelError} from './model-error.js'
import type {ModelProvider, ModelRequest, ModelStreamEvent} from './provider.js'

const STOP: Record<string, StopReason> = {end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'toolUse', pause_turn: 'stop', refusal: 'stop'}

interface ToolBlock {
  id: string
  name: string
  json: string
}

/**
 * Anthropic messages: `POST <baseUrl>/v1/messages` with `x-api-key` and `anthropic-version`,
 * SSE events from `message_start` to `message_stop` (runtime.md §8.3).
 */
export const anthropicMessagesProvider: ModelProvider = {
  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const {model} = request
    const url = anthropicUrl(model.baseUrl)
    const http = new ModelHttpRequest({url, headers: anthropicHeaders(request), body: anthropicBody(request), model, signal: request.signal, agents: request.agents})
    const response = await http.send()
    const builder = new AssistantBuilder(model, request.tools)
    const tools = new Map<number, ToolBlock>()
    const details = {provider: model.provider, model: model.model, url}
    let stopped = false
    for await (const event of http.events(response)) {
      let data: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        data = JSON.parse(event.data)
      } catch {
        throw modelError(`${model.provider} sent a malformed stream event: ${event.data.slice(0, 120)}`, {kind: 'server', ...details})
      }
      const type = event.event || data.type
      switch (type) {
        case 'message_start': {
          const usage = data.message?.usage ?? {}
          yield* builder.setUsage({input: usage.input_tokens ?? 0, output: usage.output_tokens ?? 0, cacheRead: usage.cache_read_input_tokens ?? 0, cacheWrite: usage.cache_creation_input_tokens ?? 0})
          break
        }
        case 'content_block_start':
          if (data.content_block?.type === 'tool_use') tools.set(data.index, {id: data.content_block.id, name: data.content_block.name, json: ''})
          else if (data.content_block?.type === 'text' && typeof data.content_block.text === 'string') yield* builder.textDelta(data.content_block.text)
          break
        case 'content_block_delta': {
          const delta = data.delta ?? {}
          if (delta.type === 'text_delta') yield* builder.textDelta(delta.text ?? '')
          else if (delta.type === 'thinking_delta') yield* builder.thinkingDelta(delta.thinking ?? '')
          else if (delta.type === 'input_json_delta') {
            const block = tools.get(data.index)
            if (block !== undefined) block.json += delta.partial_json ?? ''
          }
          break
        }
        case 'content_block_stop': {
          const block = tools.get(data.index)
          if (block !== undefined) {
            tools.delete(data.index)
            yield* builder.toolCall(block.id, block.name, block.json)
          }
          break
        }
        case 'message_delta':
          if (typeof data.delta?.stop_reason === 'string') builder.stopReason = STOP[data.delta.stop_reason] ?? 'error'
          if (typeof data.usage?.output_tokens === 'number') {
            const usage = data.usage
            yield* builder.setUsage({
              output: usage.output_tokens,
              ...(typeof usage.input_tokens === 'number' ? {input: usage.input_tokens} : {}),
              ...(typeof usage.cache_read_input_tokens === 'number' ? {cacheRead: usage.cache_read_input_tokens} : {}),
              ...(typeof usage.cache_creation_input_tokens === 'number' ? {cacheWrite: usage.cache_creation_input_tokens} : {}),
            })
          }
          break
        case 'message_stop':
          stopped = true
          break
        case 'error': {
          const message = data.error?.message ?? 'stream error'
          throw modelError(`${model.provider} stream error: ${message}`, {kind: kindForStreamError(data.error?.type ?? '', message), ...details})
        }
        default:
          break
      }
      if (stopped) break
    }
    if (!stopped) throw modelError(`${model.provider} stream ended before the answer was complete`, {kind: 'network', ...details})
    yield* builder.finish()
  },
}
