import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {cleanupList} from '../helpers/cleanups.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {text} from '../fakes/model-server/index.js'

const BOT = {token: '434343:PHOTOPHOTOPHOTOPHOTOPHOTOPHOTOPHOTO', id: 434343, username: 'photo_bot'}
// A real (tiny) JPEG header is enough: the gateway checks the magic bytes, the fake model does not decode.
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF photo bytes')])
const cleanups = cleanupList()

const photoDm = (userId: number, fileId: string) => ({
  from: {id: userId, first_name: `U${userId}`},
  extra: {caption: 'what is this?', photo: [{file_id: `${fileId}-s`, file_unique_id: 's', width: 90, height: 90, file_size: 50}, {file_id: fileId, file_unique_id: 'l', width: 800, height: 600, file_size: JPEG.length}]},
})

describe('telegram photos through the real gateway', () => {
  it('an image-capable model gets the photo as an image part (OpenAI and Anthropic); a text-only model gets the caption and a note', async () => {
    const {telegram: fake, model, home, start} = await telegramGatewayFixture(cleanups, {
      bots: [BOT],
      telegram: {dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'},
      config: ({model}) => ({
        models: {mode: 'replace', providers: {
          oa: {baseUrl: model.openaiBaseUrl, apiKey: 'k', models: [{id: 'vision', name: 'V', input: ['text', 'image']}, {id: 'plain', name: 'P', input: ['text']}]},
          an: {baseUrl: model.anthropicBaseUrl, apiKey: 'k', api: 'anthropic-messages', models: [{id: 'claude-eyes', name: 'C', input: ['text', 'image']}]},
        }},
        agents: {defaults: {model: 'oa/vision'}, list: [{id: 'main', default: true}, {id: 'blind', model: 'oa/plain'}, {id: 'claude', model: 'an/claude-eyes'}]},
        bindings: [
          {agentId: 'blind', match: {channel: 'telegram', peer: {kind: 'direct', id: '202'}}},
          {agentId: 'claude', match: {channel: 'telegram', peer: {kind: 'direct', id: '303'}}},
        ],
      }),
    })
    // Typing starts once a turn has run a second (TYPING_DELAY_MS): this turn waits for it.
    model.enqueueFor('vision', {...text('A cat.'), holdUntil: fake.waitFor('sendChatAction', (c) => c.params.chat_id === '101', 25_000)})
    model.enqueueFor('plain', text('I cannot see images.'))
    model.enqueueFor('claude-eyes', text('A dog.'))
    fake.addFile('p1', JPEG)
    fake.addFile('p2', JPEG)
    fake.addFile('p3', JPEG)
    const gateway = await start({timeoutMs: 8000})

    fake.dm(photoDm(101, 'p1'))
    fake.dm(photoDm(202, 'p2'))
    fake.dm(photoDm(303, 'p3'))
    for (const chat of ['101', '202', '303']) await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === chat, 10_000)

    const dataUrl = `data:image/jpeg;base64,${JPEG.toString('base64')}`
    const request = (id: string) => model.requests.find((r) => r.body.model === id)!.body
    const lastUser = (body: {messages: Array<{role: string; content: unknown}>}) => body.messages.filter((m) => m.role === 'user').at(-1)!.content
    expect(lastUser(request('vision'))).toEqual([{type: 'text', text: 'what is this?'}, {type: 'image_url', image_url: {url: dataUrl}}])
    expect(lastUser(request('claude-eyes'))).toEqual([{type: 'text', text: 'what is this?'}, {type: 'image', source: {type: 'base64', media_type: 'image/jpeg', data: JPEG.toString('base64')}}])
    const blind = JSON.stringify(lastUser(request('plain')))
    expect(blind).toContain('what is this?')
    expect(blind).toContain('[image omitted: this model accepts text only]')
    expect(blind).not.toContain('image_url')
    // The text-only model's photo is never fetched: no getFile, no download (the others are fetched once each).
    expect(fake.calls('getFile').map((c) => c.params.file_id).sort()).toEqual(['p1', 'p3'])
    expect(fake.calls('downloadFile').map((c) => c.params.file_id).sort()).toEqual(['p1', 'p3'])
    expect(blind).toContain('<media:image 800x600')
    expect(fake.calls('sendChatAction').filter((c) => c.params.chat_id === '101').map((c) => c.params.action)).toContain('typing')
    expect(fake.calls('sendMessage').map((c) => [c.params.chat_id, c.params.text]).sort()).toEqual([['101', 'A cat.'], ['202', 'I cannot see images.'], ['303', 'A dog.']])

    // runtime.md §5.3: the transcript keeps the image inline as a user image part.
    const sessions = path.join(home.stateDir, 'agents', 'main', 'sessions')
    const transcript = readdirSync(sessions).find((f) => f.endsWith('.jsonl'))!
    const user = readFileSync(path.join(sessions, transcript), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {message?: {role: string; content: unknown[]}}).find((l) => l.message?.role === 'user')!
    expect(user.message!.content).toEqual([{type: 'text', text: 'what is this?'}, {type: 'image', mimeType: 'image/jpeg', data: JPEG.toString('base64')}])
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)
  }, 30_000)
})
