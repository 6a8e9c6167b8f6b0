import {beforeEach, describe, expect, it} from 'vitest'

import type {InboundEnvelope} from '../../../../src/runtime/routing/envelope.js'
import type {ChannelRuntime} from '../../../../src/runtime/channels/telegram/runtime-seam.js'
import {TelegramChannel} from '../../../../src/runtime/channels/telegram/telegram-channel.js'
import {channelFixture, parseConfig, recordingLog, TOKEN_A, until} from './harness.js'

/** Photos and group history as the runtime receives them (the envelope), through the real channel and grammY. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)])

let log: ReturnType<typeof recordingLog>
const fx = channelFixture()
beforeEach(() => {
  log = recordingLog()
})

async function open(telegram: Record<string, unknown>): Promise<InboundEnvelope[]> {
  const received: InboundEnvelope[] = []
  const runtime: ChannelRuntime = {
    async dispatchInbound(envelope, sink) {
      received.push(envelope)
      void sink.final({text: 'ok'})
      return {runId: `r${received.length}`, sessionKey: `agent:main:${envelope.peer.id}`, agentId: 'main', queued: false}
    },
    isCommitted: async () => false,
  }
  const channel = fx.stopAfter(new TelegramChannel({
    config: parseConfig({apiRoot: fx.fake.apiRoot, botToken: TOKEN_A, streaming: 'off', ...telegram}), env: {}, paths: {home: fx.dirs.stateDir, stateDir: fx.dirs.stateDir}, runtime,
    logFor: () => log, machineDir: fx.dirs.machineDir, timing: {backoffMinMs: 10, backoffMaxMs: 50, pollTimeoutSec: 1},
  }))
  await channel.start()
  return received
}

const photo = (fileId: string, size: number) => ({photo: [{file_id: `${fileId}-small`, file_unique_id: 's', width: 90, height: 90, file_size: 100}, {file_id: fileId, file_unique_id: 'l', width: 1280, height: 960, file_size: size}]})

describe('photos (issue 10 item 7)', () => {
  it('the largest size is downloaded and handed over as an image beside the caption', async () => {
    const received = await open({dmPolicy: 'open', allowFrom: ['*']})
    fx.fake.addFile('big', JPEG)
    fx.fake.dm({from: {id: 42}, extra: {caption: 'what is this?', ...photo('big', JPEG.length)}})
    await until(() => received.length === 1)
    expect(received[0].text).toBe('what is this?')
    expect(received[0].images).toEqual([{type: 'image', mimeType: 'image/jpeg', data: JPEG.toString('base64')}])
    expect(fx.fake.calls('getFile').map((c) => c.params.file_id)).toEqual(['big'])
  })

  it('over mediaMaxMb: no download, the caption gets a note and one log line names the reason', async () => {
    const received = await open({dmPolicy: 'open', allowFrom: ['*'], mediaMaxMb: 1})
    fx.fake.dm({from: {id: 42}, extra: {caption: 'look', ...photo('huge', 3 * 1_048_576)}})
    await until(() => received.length === 1)
    expect(received[0].text).toBe('look\n<media:image 1280x960 3.0MB>\n[image not loaded: 3.0 MB is over the 1.0 MB limit]')
    expect(received[0].images).toBeUndefined()
    expect(fx.fake.calls('getFile')).toHaveLength(0)
    expect(log.lines.filter((l) => l.message.includes('(media-too-large)'))).toHaveLength(1)
  })

  it('an image document counts; a file that is no image format gets a note; other media become a placeholder', async () => {
    const received = await open({dmPolicy: 'open', allowFrom: ['*']})
    fx.fake.addFile('doc', Buffer.from('%PDF-1.7 not an image'))
    fx.fake.dm({from: {id: 42}, extra: {document: {file_id: 'doc', file_unique_id: 'd', file_name: 'x.png', mime_type: 'image/png', file_size: 21}}})
    await until(() => received.length === 1)
    expect(received[0].text).toBe('<media:image x.png 1KB>\n[image not loaded: not a JPEG, PNG, GIF or WebP image (image/png)]')
    fx.fake.dm({from: {id: 42}, extra: {voice: {file_id: 'v', file_unique_id: 'v', duration: 12, file_size: 40_960}}})
    await until(() => received.length === 2)
    expect(received[1]).toMatchObject({text: '<media:voice 12s 40KB>'})
    expect(received[1].images).toBeUndefined()
  })
})

describe('group history (telegram.md §7.4)', () => {
  it('unmentioned messages are given as context to the next mention in that chat, then cleared; topics are separate', async () => {
    const received = await open({groupPolicy: 'open', historyLimit: 2})
    const mention = {text: '@alpha_bot thoughts?', entities: [{type: 'mention', offset: 0, length: 10}]}
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 7, first_name: 'Ann'}, text: 'first'})
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 8, first_name: 'Bob'}, text: 'dinner at 7?'})
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 7, first_name: 'Ann'}, text: 'or 8'})
    fx.fake.groupMessage({chat: {id: -200, is_forum: true}, from: {id: 9, first_name: 'Cid'}, threadId: 5, text: 'topic chatter'})
    await until(() => log.lines.filter((l) => l.message.includes('(no-mention)')).length === 4)
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 7, first_name: 'Ann'}, ...mention})
    await until(() => received.length === 1)
    expect(received[0].text).toBe('[Recent messages in this chat]\nBob: dinner at 7?\nAnn: or 8\n\n@alpha_bot thoughts?')
    fx.fake.groupMessage({chat: {id: -100}, from: {id: 7, first_name: 'Ann'}, ...mention})
    await until(() => received.length === 2)
    expect(received[1].text).toBe('@alpha_bot thoughts?')
    fx.fake.groupMessage({chat: {id: -200, is_forum: true}, from: {id: 9, first_name: 'Cid'}, threadId: 5, ...mention})
    await until(() => received.length === 3)
    expect(received[2].text).toBe('[Recent messages in this chat]\nCid: topic chatter\n\n@alpha_bot thoughts?')
  })
})
