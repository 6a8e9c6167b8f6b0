import {serializeToolArguments} from './assistant-builder.js'
import {fillSlot, memoJson, MESSAGES_SLOT, TOOLS_SLOT} from './body-json.js'
import type {ConversationMessage, UserPart} from './messages.js'
import type {ModelRequest, ToolDefinition} from './provider.js'

/** What replaces an image for a model that accepts text only. */
export const IMAGE_OMITTED = '[image omitted: this model accepts text only]'

type OpenAiContent = string | Array<{type: 'text'; text: string} | {type: 'image_url'; image_url: {url: string}}>

function userContent(parts: UserPart[], images: boolean): OpenAiContent {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => p.text).join('\n')
  return parts.map((p) => {
    if (p.type === 'text') return {type: 'text' as const, text: p.text}
    return images ? {type: 'image_url' as const, image_url: {url: `data:${p.mimeType};base64,${p.data}`}} : {type: 'text' as const, text: IMAGE_OMITTED}
  })
}

function toolResultText(parts: UserPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : IMAGE_OMITTED)).join('\n')
}

/** The chat-completions form of one transcript message, or undefined for one that is not sent. */
function openAiMessage(message: ConversationMessage, images: boolean, echoReasoning: boolean): Record<string, unknown> | undefined {
  if (message.role === 'user') return {role: 'user', content: userContent(message.content, images)}
  if (message.role === 'toolResult') return {role: 'tool', tool_call_id: message.toolCallId, content: toolResultText(message.content)}
  const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
  const calls = message.content.flatMap((p) => (p.type === 'toolCall' ? [p] : []))
  // An errored or aborted answer with nothing in it would be rejected by most servers.
  if (text === '' && calls.length === 0) return undefined
  const entry: Record<string, unknown> = {role: 'assistant', content: text === '' ? null : text}
  if (calls.length > 0) {
    entry.tool_calls = calls.map((c) => ({id: c.id, type: 'function', function: {name: c.name, arguments: serializeToolArguments(c.arguments)}}))
    if (echoReasoning) entry.reasoning_content = message.content.flatMap((p) => (p.type === 'thinking' ? [p.thinking] : [])).join('')
  }
  return entry
}

/**
 * Each message's JSON for the last variant (image input, reasoning echo) it was sent with. Transcript
 * messages are never changed once written and a hot session keeps its message objects across
 * turns, so a turn serialises only its new messages.
 */
const messageJson = new WeakMap<ConversationMessage, {variant: number; json: string}>()

/** The JSON of one message ('' when it is not sent), from the memo when it is there. */
function openAiMessageJson(message: ConversationMessage, images: boolean, echoReasoning: boolean): string {
  const variant = (images ? 1 : 0) | (echoReasoning ? 2 : 0)
  const memo = messageJson.get(message)
  if (memo !== undefined && memo.variant === variant) return memo.json
  const entry = openAiMessage(message, images, echoReasoning)
  const json = entry === undefined ? '' : JSON.stringify(entry)
  messageJson.set(message, {variant, json})
  return json
}

/** The `messages` array as JSON: the system message, then every sent transcript message. */
export function openAiMessagesJson(request: ModelRequest): string {
  const {model} = request
  const images = model.input.includes('image')
  const parts: string[] = []
  if (request.system !== '') parts.push(JSON.stringify({role: model.compat.developerRole ? 'developer' : 'system', content: request.system}))
  for (const message of request.messages) {
    const json = openAiMessageJson(message, images, model.compat.echoReasoning)
    if (json !== '') parts.push(json)
  }
  return `[${parts.join(',')}]`
}

const toolJson = new WeakMap<ToolDefinition, string>()

function openAiToolsJson(tools: ToolDefinition[]): string {
  return `[${tools.map((t) => memoJson(toolJson, t, () => ({type: 'function', function: {name: t.name, description: t.description, parameters: t.parameters}}))).join(',')}]`
}

/**
 * The request body as JSON text: `{model, messages, tools?, tool_choice, stream, stream_options?,
 * <maxTokensField>}` plus params, keys in the order the object literal gives them. The messages
 * and tools arrays are spliced in from memoised parts.
 */
export function openAiBody(request: ModelRequest): {body: string; stream: boolean} {
  const {model, tools} = request
  const stream = model.compat.streamToolCalls || tools.length === 0
  const body: Record<string, unknown> = {[model.compat.maxTokensField]: model.maxTokens, ...model.params, model: model.model, messages: MESSAGES_SLOT, stream}
  if (tools.length > 0) {
    body.tools = TOOLS_SLOT
    body.tool_choice = 'auto'
  }
  if (stream && model.compat.streamUsage) body.stream_options = {include_usage: true}
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') {
    body.reasoning_effort = request.thinkingLevel === 'xhigh' ? 'high' : request.thinkingLevel
  }
  const json = fillSlot(JSON.stringify(body), 'messages', openAiMessagesJson(request))
  return {body: tools.length > 0 ? fillSlot(json, 'tools', openAiToolsJson(tools)) : json, stream}
}

/** `Authorization: Bearer <key>` only when there is a key; configured headers on top. */
export function openAiHeaders(request: ModelRequest): Record<string, string> {
  return {...(request.apiKey === undefined ? {} : {authorization: `Bearer ${request.apiKey}`}), accept: 'text/event-stream', ...request.model.headers}
}
