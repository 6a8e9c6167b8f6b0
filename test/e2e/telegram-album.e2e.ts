import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {cleanupList} from '../helpers/cleanups.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {text} from '../fakes/model-server/index.js'

const BOT = {token: '717171:AlbumAlbumAlbumAlbumAlbumAlbumAlbum', id: 717171, username: 'album_bot'}
const USER = 9101
const jpeg = (tag: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from(`JFIF ${tag}`)])
const cleanups = cleanupList()

const part = (fileId: string, caption?: string) => ({
  from: {id: USER, first_name: 'Ann'},
  extra: {media_group_id: 'album-1', photo: [{file_id: fileId, file_unique_id: `u-${fileId}`, width: 640, height: 480, file_size: jpeg(fileId).length}], ...(caption === undefined ? {} : {caption})},
})

describe('telegram albums through the real gateway', () => {
  it('three updates of one media group become ONE turn with all three images and the caption, answered once', async () => {
    const {telegram: fake, model, home, start} = await telegramGatewayFixture(cleanups, {
      bots: [BOT],
      telegram: {dmPolicy: 'open', allowFrom: ['*'], streaming: 'off'},
      config: ({model}) => ({
        models: {mode: 'replace', providers: {oa: {baseUrl: model.openaiBaseUrl, apiKey: 'k', models: [{id: 'vision', name: 'V', input: ['text', 'image']}]}}},
        agents: {defaults: {model: 'oa/vision'}},
      }),
    })
    model.enqueue(text('Three cats.'))
    for (const id of ['a1', 'a2', 'a3']) fake.addFile(id, jpeg(id))
    const gateway = await start()

    // The first part reaches the gateway alone (as a long poll often returns it); the others come after it was fetched.
    const first = fake.dm(part('a1'))
    await fake.waitFor('getUpdates', (c) => c.ok && (c.result as Array<{update_id: number}>).some((u) => u.update_id === first.update_id), 20_000)
    fake.dm(part('a2', 'which one is the cutest?'))
    fake.dm(part('a3'))
    const reply = await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === String(USER), 20_000)
    expect(reply.params.text).toBe('Three cats.')

    expect(model.requests).toHaveLength(1)
    const user = (model.requests[0].body as {messages: Array<{role: string; content: unknown}>}).messages.filter((m) => m.role === 'user')
    expect(user).toHaveLength(1)
    const url = (id: string) => ({type: 'image_url', image_url: {url: `data:image/jpeg;base64,${jpeg(id).toString('base64')}`}})
    expect(user[0].content).toEqual([{type: 'text', text: 'which one is the cutest?'}, url('a1'), url('a2'), url('a3')])
    // Each photo downloaded once; the turn's dedupe key is the first part's update.
    expect(fake.calls('downloadFile').map((c) => c.params.file_id).sort()).toEqual(['a1', 'a2', 'a3'])
    const sessions = path.join(home.stateDir, 'agents', 'main', 'sessions')
    const transcript = readdirSync(sessions).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(path.join(sessions, f), 'utf8')).join('')
    expect(transcript.match(/"role":"user"/g)).toHaveLength(1)
    expect(transcript).toContain(`telegram:default:u:${first.update_id}`)

    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)
    // Nothing else was sent, and the offset moved past all three parts (the stop confirmed them).
    expect(fake.calls('sendMessage').filter((c) => c.ok)).toHaveLength(1)
    const lastPoll = fake.calls('getUpdates').at(-1)!
    expect(Number(lastPoll.params.offset)).toBe(first.update_id + 3)
  }, 60_000)
})
