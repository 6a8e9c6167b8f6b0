import type {ConversationMessage, UserPart} from './messages.js'
import {IMAGE_OMITTED} from './openai-request.js'
import type {ModelRequest} from './provider.js'

type Block = Record<string, unknown>

/** Thinking budgets per level for models marked `reasoning` (tokens). */
const THINKING_BUDGET = {minimal: 1024, low: 2048, medium: 8192, high: 16_384, xhigh: 32_000} as const

function userBlocks(parts: UserPart[], images: boolean): Block[] {
  return parts.flatMap((p): Block[] => {
    if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
    return images ? [{type: 'image', source: {type: 'base64', media_type: p.mimeType, data: p.data}}] : [{type: 'text', text: IMAGE_OMITTED}]
  })
}

/**
 * Converts the conversation to Anthropic messages: tool results become `tool_result` blocks in a
 * user message, consecutive same-role messages merge, empty answers are skipped. Thinking is not
 * sent back: the API would require the signature we do not keep.
 */
export function anthropicMessages(request: ModelRequest): Array<{role: 'user' | 'assistant'; content: Block[]}> {
  const images = request.model.input.includes('image')
  const out: Array<{role: 'user' | 'assistant'; content: Block[]}> = []
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return
    const last = out.at(-1)
    if (last?.role === role) last.content.push(...blocks)
    else out.push({role, content: blocks})
  }
  for (const message of request.messages as ConversationMessage[]) {
    if (message.role === 'user') push('user', userBlocks(message.content, images))
    else if (message.role === 'toolResult') {
      const content = userBlocks(message.content, images)
      push('user', [{type: 'tool_result', tool_use_id: message.toolCallId, content: content.length === 0 ? [{type: 'text', text: '(no output)'}] : content, is_error: message.isError}])
    } else {
      push('assistant', message.content.flatMap((p): Block[] => {
        if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
        if (p.type === 'toolCall') return [{type: 'tool_use', id: p.id, name: p.name, input: p.arguments}]
        return []
      }))
    }
  }
  return out
}

export function anthropicBody(request: ModelRequest): Record<string, unknown> {
  const {model, tools} = request
  const body: Record<string, unknown> = {max_tokens: model.maxTokens, ...model.params, model: model.model, messages: anthropicMessages(request), stream: true}
  if (request.system !== '') body.system = request.system
  if (tools.length > 0) body.tools = tools.map((t) => ({name: t.name, description: t.description, input_schema: t.parameters}))
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') {
    const budget = THINKING_BUDGET[request.thinkingLevel]
    body.thinking = {type: 'enabled', budget_tokens: budget}
    // The API requires max_tokens above the thinking budget.
    if (typeof body.max_tokens !== 'number' || body.max_tokens <= budget) body.max_tokens = budget + model.maxTokens
  }
  return body
}

export function anthropicHeaders(request: ModelRequest): Record<string, string> {
  return {...(request.apiKey === undefined ? {} : {'x-api-key': request.apiKey}), 'anthropic-version': '2023-06-01', accept: 'text/event-stream', ...request.model.headers}
}

/** `<baseUrl>/v1/messages`, tolerating a base URL that already ends in `/v1`. */
export function anthropicUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`
}
