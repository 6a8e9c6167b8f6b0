// The request builders as they were before bodies were assembled from memoised JSON parts (one
// object tree, one JSON.stringify): the reference the wire-bytes test compares against.
import {serializeToolArguments} from '../../../src/runtime/models/assistant-builder.js'
import type {ConversationMessage, UserPart} from '../../../src/runtime/models/messages.js'
import {IMAGE_OMITTED} from '../../../src/runtime/models/openai-request.js'
import type {ModelRequest} from '../../../src/runtime/models/provider.js'

type Block = Record<string, unknown>

function openAiUserContent(parts: UserPart[], images: boolean): unknown {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => p.text).join('\n')
  return parts.map((p) => {
    if (p.type === 'text') return {type: 'text', text: p.text}
    return images ? {type: 'image_url', image_url: {url: `data:${p.mimeType};base64,${p.data}`}} : {type: 'text', text: IMAGE_OMITTED}
  })
}

export function referenceOpenAiBody(request: ModelRequest): string {
  const {model, tools} = request
  const images = model.input.includes('image')
  const messages: Array<Record<string, unknown>> = []
  if (request.system !== '') messages.push({role: model.compat.developerRole ? 'developer' : 'system', content: request.system})
  for (const message of request.messages as ConversationMessage[]) {
    if (message.role === 'user') messages.push({role: 'user', content: openAiUserContent(message.content, images)})
    else if (message.role === 'toolResult') messages.push({role: 'tool', tool_call_id: message.toolCallId, content: message.content.map((p) => (p.type === 'text' ? p.text : IMAGE_OMITTED)).join('\n')})
    else {
      const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
      const calls = message.content.flatMap((p) => (p.type === 'toolCall' ? [p] : []))
      if (text === '' && calls.length === 0) continue
      const entry: Record<string, unknown> = {role: 'assistant', content: text === '' ? null : text}
      if (calls.length > 0) {
        entry.tool_calls = calls.map((c) => ({id: c.id, type: 'function', function: {name: c.name, arguments: serializeToolArguments(c.arguments)}}))
        if (model.compat.echoReasoning) entry.reasoning_content = message.content.flatMap((p) => (p.type === 'thinking' ? [p.thinking] : [])).join('')
      }
      messages.push(entry)
    }
  }
  const stream = model.compat.streamToolCalls || tools.length === 0
  const body: Record<string, unknown> = {[model.compat.maxTokensField]: model.maxTokens, ...model.params, model: model.model, messages, stream}
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({type: 'function', function: {name: t.name, description: t.description, parameters: t.parameters}}))
    body.tool_choice = 'auto'
  }
  if (stream && model.compat.streamUsage) body.stream_options = {include_usage: true}
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') body.reasoning_effort = request.thinkingLevel === 'xhigh' ? 'high' : request.thinkingLevel
  return JSON.stringify(body)
}

function anthropicUserBlocks(parts: UserPart[], images: boolean): Block[] {
  return parts.flatMap((p): Block[] => {
    if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
    return images ? [{type: 'image', source: {type: 'base64', media_type: p.mimeType, data: p.data}}] : [{type: 'text', text: IMAGE_OMITTED}]
  })
}

const THINKING_BUDGET = {minimal: 1024, low: 2048, medium: 8192, high: 16_384, xhigh: 32_000} as const

export function referenceAnthropicBody(request: ModelRequest): string {
  const {model, tools} = request
  const images = model.input.includes('image')
  const messages: Array<{role: 'user' | 'assistant'; content: Block[]}> = []
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return
    const last = messages.at(-1)
    if (last?.role === role) last.content.push(...blocks)
    else messages.push({role, content: blocks})
  }
  for (const message of request.messages as ConversationMessage[]) {
    if (message.role === 'user') push('user', anthropicUserBlocks(message.content, images))
    else if (message.role === 'toolResult') {
      const content = anthropicUserBlocks(message.content, images)
      push('user', [{type: 'tool_result', tool_use_id: message.toolCallId, content: content.length === 0 ? [{type: 'text', text: '(no output)'}] : content, is_error: message.isError}])
    } else {
      push('assistant', message.content.flatMap((p): Block[] => {
        if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
        if (p.type === 'toolCall') return [{type: 'tool_use', id: p.id, name: p.name, input: p.arguments}]
        return []
      }))
    }
  }
  const body: Record<string, unknown> = {max_tokens: model.maxTokens, ...model.params, model: model.model, messages, stream: true}
  if (request.system !== '') body.system = request.system
  if (tools.length > 0) body.tools = tools.map((t) => ({name: t.name, description: t.description, input_schema: t.parameters}))
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') {
    const budget = THINKING_BUDGET[request.thinkingLevel]
    body.thinking = {type: 'enabled', budget_tokens: budget}
    if (typeof body.max_tokens !== 'number' || body.max_tokens <= budget) body.max_tokens = budget + model.maxTokens
  }
  return JSON.stringify(body)
}
