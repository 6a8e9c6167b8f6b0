import {errorActions, estimateTokens, JSON_HEADERS, retryHeaders, splitInTwo, SSE_HEADERS, type Action} from './actions.js'
import type {RecordedRequest, ReplyStep, ResponseStep} from './steps.js'

/**
 * Renders a step as the Anthropic messages API answers it: `event:`/`data:` pairs from
 * `message_start` to `message_stop`, a `message` JSON document for `stream: false`, or an
 * error document `{type: "error", error: {type, message}}`.
 */
export function renderAnthropic(step: ResponseStep, request: RecordedRequest, sequence: number): Action[] {
  const model = typeof request.body?.model === 'string' ? request.body.model : 'fake-model'
  const id = `msg_fake_${sequence}`
  switch (step.kind) {
    case 'httpError':
      return errorActions(step.status, step.body ?? errorBody(step.status, step.message), retryHeaders(step))
    case 'contextOverflow':
      return errorActions(400, {type: 'error', error: {type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum'}}, {})
    case 'reply':
      return request.body?.stream === false ? [{kind: 'head', status: 200, headers: JSON_HEADERS}, {kind: 'write', data: JSON.stringify(message(step, request, id, model))}, {kind: 'end'}] : streamReply(step, request, id, model)
    case 'streamError':
    case 'stall':
    case 'hang': {
      const actions: Action[] = [{kind: 'head', status: 200, headers: SSE_HEADERS}, write('message_start', messageStart(id, model, estimateTokens(request.body?.messages)))]
      actions.push(write('content_block_start', {type: 'content_block_start', index: 0, content_block: {type: 'text', text: ''}}))
      for (const t of step.text.slice(0, step.afterChunks)) actions.push(write('content_block_delta', {type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text: t}}))
      if (step.kind === 'hang') return [...actions, {kind: 'hang'}]
      if (step.kind === 'stall') {
        actions.push({kind: 'wait', ms: step.ms})
        for (const t of step.text.slice(step.afterChunks)) actions.push(write('content_block_delta', {type: 'content_block_delta', index: 0, delta: {type: 'text_delta', text: t}}))
        return [...actions, ...ending(0, 'end_turn', estimateTokens(step.text.join('')))]
      }
      if (step.errorKind === 'disconnect') return [...actions, {kind: 'destroy'}]
      if (step.errorKind === 'malformed') return [...actions, {kind: 'write', data: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n'}, {kind: 'end'}]
      return [...actions, write('error', {type: 'error', error: {type: 'overloaded_error', message: 'Overloaded'}}), {kind: 'end'}]
    }
  }
}

function write(event: string, data: unknown): Action {
  return {kind: 'write', data: `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`}
}

function messageStart(id: string, model: string, inputTokens: number, cacheRead = 0, cacheWrite = 0) {
  return {type: 'message_start', message: {id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: {input_tokens: inputTokens, cache_read_input_tokens: cacheRead, cache_creation_input_tokens: cacheWrite, output_tokens: 1}}}
}

function ending(_index: number, stopReason: string, outputTokens: number): Action[] {
  return [
    write('content_block_stop', {type: 'content_block_stop', index: _index}),
    write('message_delta', {type: 'message_delta', delta: {stop_reason: stopReason, stop_sequence: null}, usage: {output_tokens: outputTokens}}),
    write('message_stop', {type: 'message_stop'}),
    {kind: 'end'},
  ]
}

function streamReply(step: ReplyStep, request: RecordedRequest, id: string, model: string): Action[] {
  const usage = usageOf(step, request)
  const events: Action[] = [write('message_start', messageStart(id, model, usage.input, usage.cacheRead, usage.cacheWrite)), write('ping', {type: 'ping'})]
  let index = 0
  if (step.thinking !== undefined) {
    events.push(write('content_block_start', {type: 'content_block_start', index, content_block: {type: 'thinking', thinking: '', signature: ''}}))
    events.push(write('content_block_delta', {type: 'content_block_delta', index, delta: {type: 'thinking_delta', thinking: step.thinking}}))
    events.push(write('content_block_delta', {type: 'content_block_delta', index, delta: {type: 'signature_delta', signature: 'fake-signature'}}))
    events.push(write('content_block_stop', {type: 'content_block_stop', index}))
    index++
  }
  if (step.text.length > 0) {
    events.push(write('content_block_start', {type: 'content_block_start', index, content_block: {type: 'text', text: ''}}))
    for (const t of step.text) events.push(write('content_block_delta', {type: 'content_block_delta', index, delta: {type: 'text_delta', text: t}}))
    events.push(write('content_block_stop', {type: 'content_block_stop', index}))
    index++
  }
  step.toolCalls.forEach((call, i) => {
    const [head, tail] = splitInTwo(JSON.stringify(call.arguments))
    events.push(write('content_block_start', {type: 'content_block_start', index, content_block: {type: 'tool_use', id: call.id ?? `toolu_${i + 1}`, name: call.name, input: {}}}))
    events.push(write('content_block_delta', {type: 'content_block_delta', index, delta: {type: 'input_json_delta', partial_json: head}}))
    events.push(write('content_block_delta', {type: 'content_block_delta', index, delta: {type: 'input_json_delta', partial_json: tail}}))
    events.push(write('content_block_stop', {type: 'content_block_stop', index}))
    index++
  })
  events.push(write('message_delta', {type: 'message_delta', delta: {stop_reason: stopReason(step), stop_sequence: null}, usage: {output_tokens: usage.output}}))
  events.push(write('message_stop', {type: 'message_stop'}))
  const actions: Action[] = [{kind: 'head', status: 200, headers: SSE_HEADERS}]
  events.forEach((event, i) => {
    if (i > 0 && step.delayMs !== undefined && step.delayMs > 0) actions.push({kind: 'wait', ms: step.delayMs})
    actions.push(event)
  })
  return [...actions, {kind: 'end'}]
}

function message(step: ReplyStep, request: RecordedRequest, id: string, model: string) {
  const content: unknown[] = []
  if (step.thinking !== undefined) content.push({type: 'thinking', thinking: step.thinking, signature: 'fake-signature'})
  if (step.text.length > 0) content.push({type: 'text', text: step.text.join('')})
  step.toolCalls.forEach((call, i) => content.push({type: 'tool_use', id: call.id ?? `toolu_${i + 1}`, name: call.name, input: call.arguments}))
  const usage = usageOf(step, request)
  return {id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason(step), stop_sequence: null, usage: {input_tokens: usage.input, output_tokens: usage.output, cache_read_input_tokens: usage.cacheRead, cache_creation_input_tokens: usage.cacheWrite}}
}

function stopReason(step: ReplyStep): string {
  if (step.finishReason === 'length') return 'max_tokens'
  return step.toolCalls.length > 0 ? 'tool_use' : 'end_turn'
}

function usageOf(step: ReplyStep, request: RecordedRequest) {
  return {
    input: step.usage?.input ?? estimateTokens([request.body?.system, request.body?.messages]),
    output: step.usage?.output ?? estimateTokens(step.text.join('') + JSON.stringify(step.toolCalls)),
    cacheRead: step.usage?.cacheRead ?? 0,
    cacheWrite: step.usage?.cacheWrite ?? 0,
  }
}

function errorBody(status: number, message?: string) {
  const [type, text] =
    status === 429 ? ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit']
      : status === 401 ? ['authentication_error', 'invalid x-api-key']
        : status === 403 ? ['permission_error', 'Your API key does not have permission to use the specified resource']
          : status === 404 ? ['not_found_error', 'model not found']
            : status === 529 ? ['overloaded_error', 'Overloaded']
              : status >= 500 ? ['api_error', 'Internal server error']
                : ['invalid_request_error', 'Invalid request']
  return {type: 'error', error: {type, message: message ?? `fake model: ${text}`}}
}
