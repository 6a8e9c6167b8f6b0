import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayProcess} from '../helpers/gateway-process.js'
import {hang, startFakeModel, text} from '../fakes/model-server/index.js'
import {startFakeTelegram} from '../fakes/telegram-api/index.js'

const TOKEN = '616161:PreviewKillPreviewKillPreviewKill12'
const USER = 8101
const HALF = 'Here is the first half of a long answer that streams in slowly, '
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const transcripts = (stateDir: string) => {
  const dir = path.join(stateDir, 'agents', 'main', 'sessions')
  return readdirSync(dir).filter((name) => name.endsWith('.jsonl')).map((name) => readFileSync(path.join(dir, name), 'utf8')).join('\n')
}

describe('telegram: kill -9 while a streamed preview is showing (real binary, fake Bot API, fake model)', () => {
  it('after the restart the preview message becomes the final: one message in the chat, never a stale half answer beside it', async () => {
    const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 616161, username: 'preview_bot'}]})
    cleanups.push(() => fake.close())
    const model = await startFakeModel()
    cleanups.push(() => model.destroy())
    // First process: half an answer at once, then the stream stalls until the kill. Second: the whole answer.
    model.enqueue(hang({afterChunks: 1, text: [HALF, 'never sent']}), text('The **whole** answer, ', 'in full.'))
    const port = await freePort()
    const home = makeGatewayHome({
      gateway: {port, auth: {token: 'gw-token'}},
      models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', input: ['text']}]}}},
      agents: {defaults: {model: 'fake/m'}},
      channels: {telegram: {apiRoot: fake.apiRoot, botToken: TOKEN, dmPolicy: 'open', allowFrom: ['*'], streaming: 'partial'}},
    })
    cleanups.push(() => home.cleanup())
    const start = (): GatewayProcess => {
      const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...home.env, OPENCLAW_OFFLINE: '1'})
      cleanups.push(() => gateway.kill())
      return gateway
    }

    let gateway = start()
    await waitForHealth(port, {proc: gateway, timeoutMs: 30_000})
    await fake.waitFor('getUpdates', () => true, 30_000)
    fake.dm({from: {id: USER, username: 'reader'}, text: 'tell me everything'})
    const preview = await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === String(USER), 20_000)
    expect(preview.params.text).toBe(HALF)
    const previewId = String((preview.result as {message_id: number}).message_id)
    // The preview's id is on disk before the kill (the window before that line is the accepted loss of a stale preview).
    await until(() => transcripts(home.stateDir).includes(`"messageId":"${previewId}"`), 'the preview marker', 20_000)
    gateway.child.kill('SIGKILL')
    await gateway.exited

    gateway = start()
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
