import {errorActions, estimateTokens, JSON_HEADERS, retryHeaders, splitInTwo, SSE_HEADERS, type Action} from './actions.js'
import type {RecordedRequest, ReplyStep, ResponseStep} from './steps.js'

/**
 * Renders a step as OpenAI chat completions answers it: SSE `data:` chunks ending in
 * `data: [DONE]`, a `chat.completion` JSON document for `stream: false`, or an error document.
 */
export function renderOpenAi(step: ResponseStep, request: RecordedRequest, sequence: number): Action[] {
  const model = typeof request.body?.model === 'string' ? request.body.model : 'fake-model'
  const id = `chatcmpl-${sequence}`
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({id, object: 'chat.completion.chunk', created: 1_767_000_000, model, choices: [{index: 0, delta, finish_reason: finishReason}]})}\n\n`
  switch (step.kind) {
    case 'httpError':
      return errorActions(step.status, step.body ?? errorBody(step.status, step.message), retryHeaders(step))
    case 'contextOverflow':
      return errorActions(400, {error: {message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 250000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded'}}, {})
    case 'reply':
      return request.body?.stream === false ? [{kind: 'head', status: 200, headers: JSON_HEADERS}, {kind: 'write', data: JSON.stringify(completion(step, request, id, model))}, {kind: 'end'}] : streamReply(step, request, chunk)
    case 'streamError':
    case 'stall':
    case 'hang': {
      const actions: Action[] = [{kind: 'head', status: 200, headers: SSE_HEADERS}]
      const first = step.text.slice(0, step.afterChunks)
      first.forEach((t, i) => actions.push({kind: 'write', data: chunk(i === 0 ? {role: 'assistant', content: t} : {content: t})}))
      if (step.kind === 'hang') return [...actions, {kind: 'hang'}]
      if (step.kind === 'stall') {
        actions.push({kind: 'wait', ms: step.ms})
        step.text.slice(step.afterChunks).forEach((t) => actions.push({kind: 'write', data: chunk({content: t})}))
        return [...actions, {kind: 'write', data: chunk({}, 'stop')}, {kind: 'write', data: 'data: [DONE]\n\n'}, {kind: 'end'}]
      }
      if (step.errorKind === 'disconnect') return [...actions, {kind: 'destroy'}]
      if (step.errorKind === 'malformed') return [...actions, {kind: 'write', data: 'data: {"id":"broken","choices":[{"delta":{"content":\n\n'}, {kind: 'end'}]
      return [...actions, {kind: 'write', data: `data: ${JSON.stringify({error: {message: 'fake model: stream error', type: 'server_error', code: 'server_error'}})}\n\n`}, {kind: 'end'}]
    }
  }
}

function streamReply(step: ReplyStep, request: RecordedRequest, chunk: (delta: Record<string, unknown>, finish?: string | null) => string): Action[] {
  const actions: Action[] = [{kind: 'head', status: 200, headers: SSE_HEADERS}]
  const writes: string[] = []
  let roleSent = false
  const delta = (fields: Record<string, unknown>) => {
    writes.push(chunk(roleSent ? fields : {role: 'assistant', ...fields}))
    roleSent = true
  }
  if (step.thinking !== undefined) delta({reasoning_content: step.thinking})
  for (const t of step.text) delta({content: t})
  step.toolCalls.forEach((call, index) => {
    const [head, tail] = splitInTwo(JSON.stringify(call.arguments))
    delta({tool_calls: [{index, id: call.id ?? `call_${index + 1}`, type: 'function', function: {name: call.name, arguments: head}}]})
    delta({tool_calls: [{index, function: {arguments: tail}}]})
  })
  if (!roleSent) delta({content: ''})
  writes.push(chunk({}, finishReason(step)))
  if (request.body?.stream_options?.include_usage === true) {
    const usage = usageOf(step, request)
    writes.push(`data: ${JSON.stringify({id: 'usage', object: 'chat.completion.chunk', model: request.body?.model, choices: [], usage})}\n\n`)
  }
  writes.push('data: [DONE]\n\n')
  writes.forEach((data, i) => {
    if (i > 0 && step.delayMs !== undefined && step.delayMs > 0) actions.push({kind: 'wait', ms: step.delayMs})
    actions.push({kind: 'write', data})
  })
  return [...actions, {kind: 'end'}]
}

function completion(step: ReplyStep, request: RecordedRequest, id: string, model: string) {
  const message: Record<string, unknown> = {role: 'assistant', content: step.text.length > 0 ? step.text.join('') : null}
  if (step.thinking !== undefined) message.reasoning_content = step.thinking
  if (step.toolCalls.length > 0) {
    message.tool_calls = step.toolCalls.map((call, i) => ({id: call.id ?? `call_${i + 1}`, type: 'function', function: {name: call.name, arguments: JSON.stringify(call.arguments)}}))
  }
  return {id, object: 'chat.completion', created: 1_767_000_000, model, choices: [{index: 0, message, finish_reason: finishReason(step)}], usage: usageOf(step, request)}
}

function finishReason(step: ReplyStep): string {
  if (step.finishReason !== undefined) return step.finishReason
  return step.toolCalls.length > 0 ? 'tool_calls' : 'stop'
}

function usageOf(step: ReplyStep, request: RecordedRequest) {
  const input = step.usage?.input ?? estimateTokens(request.body?.messages)
  const output = step.usage?.output ?? estimateTokens(step.text.join('') + JSON.stringify(step.toolCalls))
  const cached = step.usage?.cacheRead ?? 0
  return {prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: {cached_tokens: cached}}
}

function errorBody(status: number, message?: string) {
  const [type, code, text] =
    status === 429 ? ['rate_limit_exceeded', 'rate_limit_exceeded', 'Rate limit reached for requests']
      : status === 401 ? ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided']
        : status === 403 ? ['invalid_request_error', 'permission_denied', 'You are not allowed to use this model']
          : status === 404 ? ['invalid_request_error', 'model_not_found', 'The model does not exist']
            : status >= 500 ? ['server_error', 'server_error', 'The server had an error while processing your request']
              : ['invalid_request_error', 'invalid_request', 'Invalid request']
  return {error: {message: message ?? `fake model: ${text}`, type, code}}
}
