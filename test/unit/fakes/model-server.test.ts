import {afterEach, describe, expect, it, vi} from 'vitest'

import {contextOverflow, expectRequest, hang, httpError, stall, startFakeModel, streamError, text, thinking, toolCall, type FakeModel} from '../../fakes/model-server/index.js'

let fake: FakeModel | undefined
afterEach(async () => {
  await fake?.destroy()
  fake = undefined
})

async function post(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {method: 'POST', headers: {'content-type': 'application/json', authorization: 'Bearer k1'}, body: JSON.stringify(body), ...init})
}

/** SSE frames as [event, data] pairs (event '' for OpenAI's data-only frames). */
function frames(raw: string): Array<[string, string]> {
  return raw.split('\n\n').filter((f) => f.trim() !== '').map((frame) => {
    const event = /^event: (.*)$/m.exec(frame)?.[1] ?? ''
    const data = /^data: (.*)$/m.exec(frame)?.[1] ?? ''
    return [event, data]
  })
}

describe('fake model server', () => {
  it('streams OpenAI chunks with role first, tool-call argument halves, usage when asked and [DONE]', async () => {
    fake = await startFakeModel()
    fake.enqueue(thinking('hmm', toolCall('read', {path: 'probe.txt'}, {text: 'Let me look'})))
    const res = await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm1', stream: true, stream_options: {include_usage: true}, messages: [{role: 'user', content: 'hi'}]})
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const data = frames(await res.text()).map(([, d]) => d)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d))
    expect(chunks[0].choices[0].delta).toEqual({role: 'assistant', reasoning_content: 'hmm'})
    expect(chunks[1].choices[0].delta).toEqual({content: 'Let me look'})
    const args = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).map((t: {function: {arguments: string}}) => t.function.arguments)
    expect(args).toHaveLength(2)
    expect(JSON.parse(args.join(''))).toEqual({path: 'probe.txt'})
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls')
    expect(chunks.at(-1).usage.prompt_tokens).toBeGreaterThan(0)
    await fake.close()
  })

  it('omits the usage chunk without stream_options and answers stream:false with one document', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('a', 'b'), text('whole', {usage: {input: 7, output: 3}}))
    const streamed = frames(await (await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', stream: true, messages: []})).text())
    expect(streamed.some(([, d]) => d.includes('"usage"'))).toBe(false)
    const doc = await (await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', stream: false, messages: []})).json()
    expect(doc.choices[0].message.content).toBe('whole')
    expect(doc.usage).toMatchObject({prompt_tokens: 7, completion_tokens: 3})
    await fake.close()
  })

  it('streams the Anthropic event sequence with thinking, text and tool_use blocks', async () => {
    fake = await startFakeModel()
    fake.enqueue(thinking('plan', toolCall('exec', {command: 'echo hi'}, {text: 'Running'})))
    const res = await post(`${fake.anthropicBaseUrl}/v1/messages`, {model: 'claude', stream: true, system: 's', messages: [{role: 'user', content: 'x'}]})
    const events = frames(await res.text())
    expect(events.map(([e]) => e)).toEqual([
      'message_start', 'ping',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ])
    const parsed = events.map(([, d]) => JSON.parse(d))
    expect(parsed[9].content_block).toEqual({type: 'tool_use', id: 'toolu_1', name: 'exec', input: {}})
    expect(JSON.parse(parsed[10].delta.partial_json + parsed[11].delta.partial_json)).toEqual({command: 'echo hi'})
    expect(parsed[13].delta.stop_reason).toBe('tool_use')
    await fake.close()
  })

  it.each([
    ['openai', '/chat/completions', 'openaiBaseUrl', 'rate_limit_exceeded'],
    ['anthropic', '/v1/messages', 'anthropicBaseUrl', 'rate_limit_error'],
  ] as const)('renders httpError with retry headers in the %s dialect', async (_d, path, base, type) => {
    fake = await startFakeModel()
    fake.enqueue(httpError(429, {retryAfter: 1, retryAfterMs: 1500}))
    const res = await post(`${fake[base]}${path}`, {model: 'm', stream: true, messages: []})
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(res.headers.get('retry-after-ms')).toBe('1500')
    expect(JSON.stringify(await res.json())).toContain(type)
    await fake.close()
  })

  it.each([
    ['openaiBaseUrl', '/chat/completions', 'context_length_exceeded'],
    ['anthropicBaseUrl', '/v1/messages', 'prompt is too long'],
  ] as const)('contextOverflow is a 400 the adapters can recognise (%s)', async (base, path, marker) => {
    fake = await startFakeModel()
    fake.enqueue(contextOverflow())
    const res = await post(`${fake[base]}${path}`, {model: 'm', messages: []})
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(marker)
    await fake.close()
  })

  it('a disconnect cuts the stream after the scripted chunks', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({afterChunks: 2, kind: 'disconnect'}))
    const res = await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', stream: true, messages: []})
    await expect(res.text()).rejects.toThrow()
    await fake.close()
  })

  it('an sse-error ends the stream with an error event', async () => {
    fake = await startFakeModel()
    fake.enqueue(streamError({kind: 'sse-error'}))
    const res = await post(`${fake.anthropicBaseUrl}/v1/messages`, {model: 'm', stream: true, messages: []})
    expect(frames(await res.text()).at(-1)?.[0]).toBe('error')
    await fake.close()
  })

  it('stall sends no bytes for the scripted time, then finishes', async () => {
    fake = await startFakeModel()
    fake.enqueue(stall({afterChunks: 1, ms: 150}))
    const started = Date.now()
    const res = await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', stream: true, messages: []})
    const body = await res.text()
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(body.trim().endsWith('data: [DONE]')).toBe(true)
    await fake.close()
  })

  it('hang holds the stream until the client aborts, and the request is marked aborted', async () => {
    fake = await startFakeModel()
    fake.enqueue(hang({afterChunks: 1}))
    const controller = new AbortController()
    const res = await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', stream: true, messages: []}, {signal: controller.signal})
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain('Partial')
    controller.abort()
    await expect(reader.read()).rejects.toThrow()
    await vi.waitFor(() => expect(fake!.requests[0].aborted).toBe(true))
    await fake.close()
  })

  it('enqueueFor answers by model ahead of the shared queue, and requests are recorded', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('shared'))
    fake.enqueueFor('model-b', text('for b'))
    const b = await (await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'model-b', stream: false, messages: []})).json()
    const a = await (await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'model-a', stream: false, messages: []})).json()
    expect([b.choices[0].message.content, a.choices[0].message.content]).toEqual(['for b', 'shared'])
    expect(fake.requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([['model-b', 'Bearer k1'], ['model-a', 'Bearer k1']])
    await fake.close()
  })

  it('close() fails on leftover steps, unscripted requests and failed expectations', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('never requested'))
    await expect(fake.close()).rejects.toThrow('1 scripted step(s) were never requested')

    fake = await startFakeModel()
    const res = await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', messages: []})
    expect(res.status).toBe(500)
    expect((await res.json()).error.message).toBe('fake model: no scripted response')
    await expect(fake.close()).rejects.toThrow('unscripted request #1')

    fake = await startFakeModel()
    fake.enqueue(expectRequest((r) => {
      if (r.headers.authorization !== 'Bearer k2') throw new Error('wrong key')
    }), text('x'))
    expect((await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', messages: []})).status).toBe(500)
    await expect(fake.close()).rejects.toThrow('failed an expectation: wrong key')
  })

  it('waitForRequests resolves when the request arrives', async () => {
    fake = await startFakeModel()
    fake.enqueue(text('ok'))
    const waiting = fake.waitForRequests(1)
    await post(`${fake.openaiBaseUrl}/chat/completions`, {model: 'm', messages: [], stream: false})
    expect((await waiting)[0].path).toBe('/v1/chat/completions')
    await fake.close()
  })
})
