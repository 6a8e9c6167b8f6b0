import {describe, expect, it} from 'vitest'

import {anthropicBody} from '../../../src/runtime/models/anthropic-request.js'
import {INVALID_ARGUMENTS_KEY} from '../../../src/runtime/models/assistant-builder.js'
import type {AssistantMessage, ConversationMessage} from '../../../src/runtime/models/messages.js'
import {openAiBody} from '../../../src/runtime/models/openai-request.js'
import type {ModelRequest, ResolvedModel, ToolDefinition} from '../../../src/runtime/models/provider.js'
import {referenceAnthropicBody, referenceOpenAiBody} from './reference-bodies.js'

const usage = {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}
const assistant = (content: AssistantMessage['content'], stopReason: AssistantMessage['stopReason'] = 'stop'): AssistantMessage => ({role: 'assistant', content, api: 'x', provider: 'p', model: 'm', usage, stopReason})

/** A conversation with every shape the builders treat differently. */
function conversation(): ConversationMessage[] {
  return [
    {role: 'user', content: [{type: 'text', text: 'hi "there"\n\u2028 ünïcödé 🦞 \ud800 <tag>'}], timestamp: 1},
    {role: 'user', content: [{type: 'text', text: 'look'}, {type: 'image', mimeType: 'image/png', data: 'iVBORw0K'}, {type: 'text', text: ''}], timestamp: 2},
    assistant([{type: 'thinking', thinking: 'plan it'}, {type: 'text', text: 'Reading '}, {type: 'text', text: 'two.'}, {type: 'toolCall', id: 'call_1', name: 'read', arguments: {path: 'a.txt', n: 1.5, deep: {list: [null, true]}}}, {type: 'toolCall', id: 'call_2', name: 'read', arguments: {[INVALID_ARGUMENTS_KEY]: '{not json'}}], 'toolUse'),
    {role: 'toolResult', toolCallId: 'call_1', toolName: 'read', content: [{type: 'text', text: 'line1\nline2'}, {type: 'image', mimeType: 'image/jpeg', data: '/9j/'}], isError: false, timestamp: 3},
    {role: 'toolResult', toolCallId: 'call_2', toolName: 'read', content: [], isError: true, timestamp: 4},
    assistant([], 'error'),
    assistant([{type: 'text', text: ''}], 'aborted'),
    {role: 'user', content: [{type: 'text', text: 'again'}], timestamp: 5},
    assistant([{type: 'text', text: 'done'}]),
  ]
}

const tools: ToolDefinition[] = [
  {name: 'read', description: 'Read a "file"', parameters: {type: 'object', properties: {path: {type: 'string'}}, required: ['path']}},
  {name: 'exec', description: 'Run', parameters: {type: 'object', properties: {}}},
]

function model(overrides: Partial<ResolvedModel> = {}, compat: Partial<ResolvedModel['compat']> = {}): ResolvedModel {
  return {
    ref: 'p/m', provider: 'p', model: 'm-1', api: 'openai-completions', baseUrl: 'http://127.0.0.1:9/v1', headers: {}, contextWindow: 128_000, maxTokens: 4096,
    input: ['text'], reasoning: false, idleTimeoutMs: 60_000, params: {}, local: false,
    compat: {developerRole: false, maxTokensField: 'max_tokens', streamUsage: true, streamToolCalls: true, recoverTextToolCalls: false, echoReasoning: false, ...compat},
    ...overrides,
  }
}

const request = (m: ResolvedModel, extra: Partial<ModelRequest> = {}): ModelRequest => ({model: m, apiKey: 'k', system: 'You are "careful".\nBe brief.', messages: conversation(), tools, signal: new AbortController().signal, ...extra})

const cases: Array<[string, ModelRequest]> = [
  ['plain text model with tools', request(model())],
  ['image model', request(model({input: ['text', 'image']}))],
  ['no tools, no system', request(model(), {tools: [], system: ''})],
  ['developer role, max_completion_tokens, echoReasoning', request(model({}, {developerRole: true, maxTokensField: 'max_completion_tokens', echoReasoning: true}))],
  ['stream:false tool calls, no stream usage', request(model({}, {streamToolCalls: false, streamUsage: false}))],
  ['reasoning model, thinking high', request(model({reasoning: true}), {thinkingLevel: 'high'})],
  ['reasoning model, thinking xhigh, small max tokens', request(model({reasoning: true, maxTokens: 1000}), {thinkingLevel: 'xhigh'})],
  ['reasoning model, thinking off', request(model({reasoning: true}), {thinkingLevel: 'off'})],
  ['params that reuse body keys keep their position', request(model({params: {temperature: 0.2, max_tokens: 77, stream: false, tools: 'x', messages: 'y', model: 'z', top_p: 0.9}}))],
  ['params with nested values', request(model({params: {metadata: {user: 'u"1'}, stop: ['\n\n']}}))],
  ['empty conversation', request(model(), {messages: []})],
]

describe('request bodies are the bytes JSON.stringify gave for the whole body', () => {
  it.each(cases)('OpenAI: %s', (_name, req) => {
    expect(openAiBody(req).body).toBe(referenceOpenAiBody(req))
  })

  it.each(cases)('Anthropic: %s', (_name, req) => {
    const anthropic = {...req, model: {...req.model, api: 'anthropic-messages' as const}}
    expect(anthropicBody(anthropic)).toBe(referenceAnthropicBody(anthropic))
  })

  it('a hot session (same message objects, one more each turn) keeps matching across turns and model variants', () => {
    const history: ConversationMessage[] = []
    const variants = [model(), model({input: ['text', 'image']}), model({}, {echoReasoning: true}), model()]
    for (const [turn, message] of conversation().entries()) {
      history.push(message)
      for (const m of variants) {
        const req = request(m, {messages: [...history], system: `turn ${turn}`})
        expect(openAiBody(req).body).toBe(referenceOpenAiBody(req))
        expect(anthropicBody(req)).toBe(referenceAnthropicBody(req))
      }
    }
  })

  it('stream is false only for tool requests of a model that cannot stream tool calls', () => {
    expect(openAiBody(request(model({}, {streamToolCalls: false}))).stream).toBe(false)
    expect(openAiBody(request(model({}, {streamToolCalls: false}), {tools: []})).stream).toBe(true)
  })
})
