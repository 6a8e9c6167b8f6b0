import {serializeToolArguments} from './assistant-builder.js'
import type {ConversationMessage, UserPart} from './messages.js'
import type {ModelRequest} from './provider.js'

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

/** Converts the conversation to chat-completions messages (runtime.md §8.3). */
export function openAiMessages(request: ModelRequest): Array<Record<string, unknown>> {
  const {model} = request
  const images = model.input.includes('image')
  const out: Array<Record<string, unknown>> = []
  if (request.system !== '') out.push({role: model.compat.developerRole ? 'developer' : 'system', content: request.system})
  for (const message of request.messages as ConversationMessage[]) {
    if (message.role === 'user') {
      out.push({role: 'user', content: userContent(message.content, images)})
    } else if (message.role === 'toolResult') {
      out.push({role: 'tool', tool_call_id: message.toolCallId, content: toolResultText(message.content)})
    } else {
      const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
      const calls = message.content.flatMap((p) => (p.type === 'toolCall' ? [p] : []))
      // An errored or aborted answer with nothing in it would be rejected by most servers.
      if (text === '' && calls.length === 0) continue
      const entry: Record<string, unknown> = {role: 'assistant', content: text === '' ? null : text}
      if (calls.length > 0) {
        entry.tool_calls = calls.map((c) => ({id: c.id, type: 'function', function: {name: c.name, arguments: serializeToolArguments(c.arguments)}}))
        if (model.compat.echoReasoning) {
          const reasoning = message.content.flatMap((p) => (p.type === 'thinking' ? [p.thinking] : [])).join('')
          entry.reasoning_content = reasoning
        }
      }
      out.push(entry)
    }
  }
  return out
}

/** The request body: `{model, messages, tools?, tool_choice, stream, stream_options?, <maxTokensField>}` plus params. */
export function openAiBody(request: ModelRequest): {body: Record<string, unknown>; stream: boolean} {
  const {model, tools} = request
  const stream = model.compat.streamToolCalls || tools.length === 0
  const body: Record<string, unknown> = {[model.compat.maxTokensField]: model.maxTokens, ...model.params, model: model.model, messages: openAiMessages(request), stream}
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({type: 'function', function: {name: t.name, description: t.description, parameters: t.parameters}}))
    body.tool_choice = 'auto'
  }
  if (stream && model.compat.streamUsage) body.stream_options = {include_usage: true}
  if (model.reasoning && request.thinkingLevel !== undefined && request.thinkingLevel !== 'off') {
    body.reasoning_effort = request.thinkingLevel === 'xhigh' ? 'high' : request.thinkingLevel
  }
  return {body, stream}
}

/** `Authorization: Bearer <key>` only when there is a key; configured headers on top. */
export function openAiHeaders(request: ModelRequest): Record<string, string> {
  return {...(request.apiKey === undefined ? {} : {authorization: `Bearer ${request.apiKey}`}), accept: 'text/event-stream', ...request.model.headers}
}
