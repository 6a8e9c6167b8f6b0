import {afterEach, describe, expect, it} from 'vitest'

import {INVALID_ARGUMENTS_KEY} from '../../../src/runtime/models/assistant-builder.js'
import type {AssistantMessage, ConversationMessage} from '../../../src/runtime/models/messages.js'
import type {ModelStreamEvent, ToolDefinition} from '../../../src/runtime/models/provider.js'
import {providerFor} from '../../../src/runtime/models/providers.js'
import {contextOverflow, hang, httpError, stall, startFakeModel, streamError, text, thinking, toolCall, toolCalls, type FakeModel} from '../../fakes/model-server/index.js'
import {collect, fakeModel, userSays, type Api} from './fake-provider.js'
import {failure} from '../../helpers/app-error-of.js'

let fake: FakeModel
afterEach(async () => {
  await fake?.destroy()
})

const readTool: ToolDefinition = {name: 'read', description: 'Read a file', parameters: {type: 'object', properties: {path: {type: 'string'}}, required: ['path']}}

async function run(api: Api, options: {messages?: ConversationMessage[]; tools?: ToolDefinition[]; provider?: Record<string, unknown>; signal?: AbortSignal; apiKey?: string} = {}) {
  const model = fakeModel(fake, api, options.provider)
  return collect(providerFor(api).stream({model, apiKey: options.apiKey ?? 'test', system: 'You are a test.', messages: options.messages ?? [userSays('hi')], tools: options.tools ?? [], signal: options.signal ?? new AbortController().signal}))
}

const done = (events: ModelStreamEvent[]) => (events.at(-1) as {type: 'done'; message: AssistantMessage}).message

describe.each(['openai-completions', 'anthropic-messages'] as const)('%s provider against the fake model', (api) => {
  it('streams text deltas and ends with the assembled message and usage', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('Hel', 'lo', {usage: {input: 12, output: 3}}))
    const events = await run(api)
    expect(events.filter((e) => e.type === 'text').map((e) => (e as {delta: string}).delta)).toEqual(['Hel', 'lo'])
    expect(done(events)).toMatchObject({role: 'assistant', content: [{type: 'text', text: 'Hello'}], api, provider: 'fake', model: 'm1', stopReason: 'stop', usage: {input: 12, output: 3, totalTokens: 15}})
    await fake.close()
  })

  it('sends the key, the system prompt and the conversation in the dialect', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('ok'))
    await run(api, {apiKey: 'sk-one'})
    const {headers, body} = fake.requests[0]
    if (api === 'openai-completions') {
      expect(headers.authorization).toBe('Bearer sk-one')
      expect(body.messages).toEqual([{role: 'system', content: 'You are a test.'}, {role: 'user', content: 'hi'}])
      expect(body).toMatchObject({model: 'm1', stream: true, stream_options: {include_usage: true}, max_tokens: 8192})
    } else {
      expect([headers['x-api-key'], headers['anthropic-version']]).toEqual(['sk-one', '2023-06-01'])
      expect(body).toMatchObject({model: 'm1', system: 'You are a test.', stream: true, max_tokens: 8192, messages: [{role: 'user', content: [{type: 'text', text: 'hi'}]}]})
    }
    await fake.close()
  })

  it('accumulates streamed tool calls with thinking and text, stop reason toolUse', async () => {
    fake = await startFakeModel()
    fake.enqueue(thinking('I should read it', toolCalls([{name: 'read', arguments: {path: 'probe.txt'}}, {id: 'x2', name: 'read', arguments: {path: 'b.txt'}}], {text: 'Reading.'})))
    const events = await run(api, {tools: [readTool]})
    const message = done(events)
    expect(message.stopReason).toBe('toolUse')
    expect(message.content).toEqual([
      {type: 'thinking', thinking: 'I should read it'},
      {type: 'text', text: 'Reading.'},
      {type: 'toolCall', id: api === 'openai-completions' ? 'call_1' : 'toolu_1', name: 'read', arguments: {path: 'probe.txt'}},
      {type: 'toolCall', id: 'x2', name: 'read', arguments: {path: 'b.txt'}},
    ])
    expect(events.filter((e) => e.type === 'toolCall')).toHaveLength(2)
    await fake.close()
  })

  it('sends tool calls and results back so the next request carries the result', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('done'))
    const history: ConversationMessage[] = [
      userSays('read it'),
      {role: 'assistant', content: [{type: 'toolCall', id: 'call_7', name: 'read', arguments: {path: 'p.txt'}}], api, provider: 'fake', model: 'm1', usage: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}, stopReason: 'toolUse'},
      {role: 'toolResult', toolCallId: 'call_7', toolName: 'read', content: [{type: 'text', text: 'nonce-123'}], isError: false, timestamp: 2},
    ]
    await run(api, {messages: history, tools: [readTool]})
    const {body} = fake.requests[0]
    if (api === 'openai-completions') {
      expect(body.messages.slice(2)).toEqual([
        {role: 'assistant', content: null, tool_calls: [{id: 'call_7', type: 'function', function: {name: 'read', arguments: '{"path":"p.txt"}'}}]},
        {role: 'tool', tool_call_id: 'call_7', content: 'nonce-123'},
      ])
      expect(body.tools[0]).toEqual({type: 'function', function: {name: 'read', description: 'Read a file', parameters: readTool.parameters}})
      expect(body.tool_choice).toBe('auto')
    } else {
      expect(body.messages.slice(1)).toEqual([
        {role: 'assistant', content: [{type: 'tool_use', id: 'call_7', name: 'read', input: {path: 'p.txt'}}]},
        {role: 'user', content: [{type: 'tool_result', tool_use_id: 'call_7', content: [{type: 'text', text: 'nonce-123'}], is_error: false}]},
      ])
      expect(body.tools[0]).toEqual({name: 'read', description: 'Read a file', input_schema: readTool.parameters})
    }
    await fake.close()
  })

  it('sends user images to image models and a placeholder to text-only ones', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('a'), text('b'))
    const withImage: ConversationMessage = {role: 'user', content: [{type: 'text', text: 'look'}, {type: 'image', mimeType: 'image/png', data: 'iVBORw0K'}], timestamp: 1}
    await run(api, {messages: [withImage], provider: {models: [{id: 'm1', name: 'M', input: ['text', 'image']}]}})
    await run(api, {messages: [withImage]})
    const [vision, textOnly] = fake.requests.map((r) => JSON.stringify(r.body.messages))
    expect(vision).toContain('iVBORw0K')
    expect(textOnly).not.toContain('iVBORw0K')
    expect(textOnly).toContain('[image omitted: this model accepts text only]')
    await fake.close()
  })

  it('maps a 429 to rate_limit with the Retry-After in ms', async () => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429, {retryAfter: 2}))
    const error = await failure(run(api))
    expect([error.code, error.details.kind, error.details.status, error.details.retryAfterMs]).toEqual(['MODEL_REQUEST_FAILED', 'rate_limit', 429, 2000])
    expect(error.message).toMatch(/^fake answered 429: fake model: /)
    await fake.close()
  })

  it.each([
    [httpError(401), 'auth'], [httpError(500), 'server'], [httpError(529), 'overloaded'], [contextOverflow(), 'context_overflow'], [httpError(400), 'bad_request'],
  ] as const)('maps an error answer to its kind (%#)', async (step, kind) => {
    fake = await startFakeModel()
    fake.enqueue(step)
    expect((await failure(run(api))).details.kind).toBe(kind)
    await fake.close()
  })

  it('an error event inside the stream is a retryable error', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({kind: 'sse-error'}))
    const error = await failure(run(api))
    expect(['server', 'overloaded']).toContain(error.details.kind)
    await fake.close()
  })

  it('a malformed SSE chunk is a server error naming the provider', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({kind: 'malformed'}))
    const error = await failure(run(api))
    expect(error.details.kind).toBe('server')
    expect(error.message).toContain('fake sent a malformed stream')
    await fake.close()
  })

  it('a mid-stream disconnect is a network error (retryable)', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({kind: 'disconnect', afterChunks: 2}))
    const error = await failure(run(api))
    expect([error.code, error.details.kind]).toEqual(['MODEL_UNREACHABLE', 'network'])
    await fake.close()
  })

  it('a stall longer than the idle timeout is MODEL_TIMEOUT and the request is cancelled', async () => {
    fake = await startFakeModel()
    fake.enqueue(stall({afterChunks: 1, ms: 5000}))
    const started = Date.now()
    const error = await failure(run(api, {provider: {timeoutSeconds: 1}}))
    expect([error.code, error.details.kind]).toEqual(['MODEL_TIMEOUT', 'timeout'])
    expect(error.message).toContain('model stream idle for 1s')
    expect(Date.now() - started).toBeLessThan(3000)
    await fake.close()
  })

  it('aborting cancels a hanging request: MODEL_ABORTED, and the server sees the abort', async () => {
    fake = await startFakeModel()
    fake.enqueue(hang({afterChunks: 1}))
    const controller = new AbortController()
    const running = failure(run(api, {signal: controller.signal}))
    await fake.waitForRequests(1)
    controller.abort()
    const error = await running
    expect([error.code, error.details.kind]).toEqual(['MODEL_ABORTED', 'aborted'])
    await fake.close()
  })

  it('an unreachable server names the URL', async () => {
    fake = await startFakeModel()
    const model = fakeModel(fake, api)
    await fake.close()
    const error = await failure(collect(providerFor(api).stream({model, apiKey: 'k', system: '', messages: [userSays('hi')], tools: [], signal: new AbortController().signal})))
    expect(error.code).toBe('MODEL_UNREACHABLE')
    expect(error.message).toMatch(new RegExp(`^cannot reach model server http://127\\.0\\.0\\.1:\\d+/v1/${api === 'openai-completions' ? 'chat/completions' : 'messages'}: ECONNREFUSED$`))
  })

  it('invalid JSON tool arguments are kept raw for the tool error', async () => {
    fake = await startFakeModel()
    // A step whose arguments are not an object: the fake serializes them as given.
    fake.enqueue(toolCall('read', 'not json' as unknown as Record<string, unknown>))
    const message = done(await run(api, {tools: [readTool]}))
    expect(message.content[0]).toMatchObject({type: 'toolCall', name: 'read', arguments: {[INVALID_ARGUMENTS_KEY]: '"not json"'}})
    await fake.close()
  })
})

describe('OpenAI compat flags on the wire', () => {
  it('developer role, max_completion_tokens and reasoning_effort for api.openai.com-style providers', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('x'))
    const model = {...fakeModel(fake, 'openai-completions', {compat: {developerRole: true, maxTokensField: 'max_completion_tokens'}}), reasoning: true}
    await collect(providerFor('openai-completions').stream({model, apiKey: 'k', system: 'sys', messages: [userSays('hi')], tools: [], signal: new AbortController().signal, thinkingLevel: 'high'}))
    const {body} = fake.requests[0]
    expect(body.messages[0]).toEqual({role: 'developer', content: 'sys'})
    expect(body).toMatchObject({max_completion_tokens: 8192, reasoning_effort: 'high'})
    expect(body.max_tokens).toBeUndefined()
    await fake.close()
  })

  it('streamUsage false sends no stream_options; streamToolCalls false replays a stream:false answer', async () => {
    fake = await startFakeModel()
    fake.enqueue(toolCall('read', {path: 'a'}, {text: 'one moment'}))
    const events = await run('openai-completions', {tools: [readTool], provider: {compat: {streamToolCalls: false, streamUsage: false}}})
    expect(fake.requests[0].body.stream).toBe(false)
    expect(fake.requests[0].body.stream_options).toBeUndefined()
    expect(events.map((e) => e.type)).toEqual(['text', 'toolCall', 'usage', 'done'])
    expect(done(events).content).toEqual([{type: 'text', text: 'one moment'}, {type: 'toolCall', id: 'call_1', name: 'read', arguments: {path: 'a'}}])
    await fake.close()
  })

  it('echoReasoning sends reasoning_content back on assistant turns with tool calls', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('ok'))
    const history: ConversationMessage[] = [
      userSays('go'),
      {role: 'assistant', content: [{type: 'thinking', thinking: 'plan'}, {type: 'toolCall', id: 'c1', name: 'read', arguments: {}}], api: 'openai-completions', provider: 'fake', model: 'm1', usage: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}, stopReason: 'toolUse'},
      {role: 'toolResult', toolCallId: 'c1', toolName: 'read', content: [{type: 'text', text: 'r'}], isError: false, timestamp: 2},
    ]
    await run('openai-completions', {messages: history, tools: [readTool], provider: {compat: {echoReasoning: true}}})
    expect(fake.requests[0].body.messages[2].reasoning_content).toBe('plan')
    await fake.close()
  })

  it.each([
    ['a bare JSON object', '{"name":"read","arguments":{"path":"x.txt"}}'],
    ['a fenced block with parameters', '```json\n{"name": "read", "parameters": {"path": "x.txt"}}\n```'],
  ])('recovers a text tool call from %s without previewing the JSON', async (_name, reply) => {
    fake = await startFakeModel()
    fake.enqueue(text(reply.slice(0, 5), reply.slice(5)))
    const events = await run('openai-completions', {tools: [readTool], provider: {compat: {recoverTextToolCalls: true}}})
    expect(events.some((e) => e.type === 'text')).toBe(false)
    expect(done(events)).toMatchObject({stopReason: 'toolUse', content: [{type: 'toolCall', name: 'read', arguments: {path: 'x.txt'}}]})
    await fake.close()
  })

  it('held-back text that is not a tool call is released once at the end', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('{"note":', ' "just json"}'))
    const events = await run('openai-completions', {tools: [readTool], provider: {compat: {recoverTextToolCalls: true}}})
    expect(events.filter((e) => e.type === 'text')).toEqual([{type: 'text', delta: '{"note": "just json"}'}])
    await fake.close()
  })
})
