import {describe, expect, it} from 'vitest'

import {cleanupList} from '../helpers/cleanups.js'
import {waitForHealth} from '../helpers/gateway-process.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {transcriptLines} from '../helpers/transcript-files.js'
import {until} from '../helpers/until.js'
import {hang, text} from '../fakes/model-server/index.js'

const BOT = {token: '616161:PreviewKillPreviewKillPreviewKill12', id: 616161, username: 'preview_bot'}
const USER = 8101
const HALF = 'Here is the first half of a long answer that streams in slowly, '
const cleanups = cleanupList()
const transcripts = (stateDir: string) => transcriptLines(stateDir).join('\n')

describe('telegram: kill -9 while a streamed preview is showing (real binary, fake Bot API, fake model)', () => {
  it('after the restart the preview message becomes the final: one message in the chat, never a stale half answer beside it', async () => {
    const {telegram: fake, model, home, port, spawn, start} = await telegramGatewayFixture(cleanups, {bots: [BOT], telegram: {dmPolicy: 'open', allowFrom: ['*'], streaming: 'partial'}})
    // First process: half an answer at once, then the stream stalls until the kill. Second: the whole answer.
    model.enqueue(hang({afterChunks: 1, text: [HALF, 'never sent']}), text('The **whole** answer, ', 'in full.'))

    let gateway = await start()
    fake.dm({from: {id: USER, username: 'reader'}, text: 'tell me everything'})
    const preview = await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === String(USER), 20_000)
    expect(preview.params.text).toBe(HALF)
    const previewId = String((preview.result as {message_id: number}).message_id)
    // The preview's id is on disk before the kill (the window before that line is the accepted loss of a stale preview).
    await until(() => transcripts(home.stateDir).includes(`"messageId":"${previewId}"`), 'the preview marker', 20_000)
    gateway.child.kill('SIGKILL')
    await gateway.exited

    gateway = spawn()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    await fake.waitFor('editMessageText', (c) => c.ok && c.params.parse_mode === 'HTML', 20_000)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)

    // One message in the chat: the preview, edited into the final (rendered HTML); nothing sent beside it.
    expect(fake.visibleText(USER)).toEqual(['The whole answer, in full.'])
    expect(fake.calls('sendMessage').filter((c) => c.ok)).toHaveLength(1)
    const finals = fake.calls('editMessageText').filter((c) => c.ok && c.params.parse_mode === 'HTML')
    expect(finals.map((c) => [String(c.params.message_id), c.params.text])).toEqual([[previewId, 'The <b>whole</b> answer, in full.']])
    expect(transcripts(home.stateDir)).toContain('"state":"delivered"')
  }, 90_000)
})
