import {fillSlot, memoJson, MESSAGES_SLOT, TOOLS_SLOT} from './body-json.js'
import type {ConversationMessage, UserPart} from './messages.js'
import {IMAGE_OMITTED} from './openai-request.js'
import type {ModelRequest, ToolDefinition} from './provider.js'

type Block = Record<string, unknown>

/** Thinking budgets per level for models marked `reasoning` (tokens). */
const THINKING_BUDGET = {minimal: 1024, low: 2048, medium: 8192, high: 16_384, xhigh: 32_000} as const

function userBlocks(parts: UserPart[], images: boolean): Block[] {
  return parts.flatMap((p): Block[] => {
    if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
    return images ? [{type: 'image', source: {type: 'base64', media_type: p.mimeType, data: p.data}}] : [{type: 'text', text: IMAGE_OMITTED}]
  })
}

/** One transcript message's role and content blocks (none: the message is not sent). */
function anthropicBlocks(message: ConversationMessage, images: boolean): {role: 'user' | 'assistant'; blocks: Block[]} {
  if (message.role === 'user') return {role: 'user', blocks: userBlocks(message.content, images)}
  if (message.role === 'toolResult') {
    const content = userBlocks(message.content, images)
    return {role: 'user', blocks: [{type: 'tool_result', tool_use_id: message.toolCallId, content: content.length === 0 ? [{type: 'text', text: '(no output)'}] : content, is_error: message.isError}]}
  }
  return {
    role: 'assistant',
    blocks: message.content.flatMap((p): Block[] => {
      if (p.type === 'text') return p.text === '' ? [] : [{type: 'text', text: p.text}]
      if (p.type === 'toolCall') return [{type: 'tool_use', id: p.id, name: p.name, input: p.arguments}]
      return []
    }),
  }
}

/** Each message's blocks as JSON (comma-joined, no brackets) for the image variant it was last sent with. */
const blocksJson = new WeakMap<ConversationMessage, {images: boolean; role: 'user' | 'assistant'; json: string}>()

function messageBlocksJson(message: ConversationMessage, images: boolean): {role: 'user' | 'assistant'; json: string} {
  const memo = blocksJson.get(message)
  if (memo !== undefined && memo.images === images) return memo
  const {role, blocks} = anthropicBlocks(message, images)
  const entry = {images, role, json: blocks.map((b) => JSON.stringify(b)).join(',')}
  blocksJson.set(message, entry)
  return entry
}

/**
 * The conversation as Anthropic messages JSON: tool results become `tool_result` blocks in a
 * user message, consecutive same-role messages merge, empty answers are skipped. Thinking is not
 * sent back: the API would require the signature we do not keep.
 */
function anthropicMessagesJson(request: ModelRequest): string {
  const images = request.model.input.includes('image')
  const out: string[] = []
  let role: 'user' | 'assistant' | undefined
  let blocks: string[] = []
  const flush = () => {
    if (role !== undefined) out.push(`{"role":"${role}","content":[${blocks.join(',')}]}`)
  }
  for (const message of request.messages) {
    const entry = messageBlocksJson(message, images)
    if (entry.json === '') continue
    if (entry.role !== role) {
      flush()
      role = entry.role
      blocks = []
    }
    blocks.push(entry.json)
  }
  flush()
  return `[${out.join(',')}]`
}

const toolJson = new WeakMap<ToolDefinition, string>()

export function anthropicBody(request: ModelRequest): string {
  const {model, tools} = request
  const body: Record<string, unknown> = {max_tokens: model.maxTokens, ...model.params, model: model.model, messages: MESSAGES_SLOT, stream: true}
  if (request.system !== '') body.system = request.system
  if (tools.length > 0) body.tools = TOOLS_SLOT
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') {
    const budget = THINKING_BUDGET[request.thinkingLevel]
    body.thinking = {type: 'enabled', budget_tokens: budget}
    // The API requires max_tokens above the thinking budget.
    if (typeof body.max_tokens !== 'number' || body.max_tokens <= budget) body.max_tokens = budget + model.maxTokens
  }
  const json = fillSlot(JSON.stringify(body), 'messages', anthropicMessagesJson(request))
  if (tools.length === 0) return json
  return fillSlot(json, 'tools', `[${tools.map((t) => memoJson(toolJson, t, () => ({name: t.name, description: t.description, input_schema: t.parameters}))).join(',')}]`)
}

export function anthropicHeaders(request: ModelRequest): Record<string, string> {
  return {...(request.apiKey === undefined ? {} : {'x-api-key': request.apiKey}), 'anthropic-version': '2023-06-01', accept: 'text/event-stream', ...request.model.headers}
}

/** `<baseUrl>/v1/messages`, tolerating a base URL that already ends in `/v1`. */
export function anthropicUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`
}
