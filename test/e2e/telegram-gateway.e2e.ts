import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {cleanupList} from '../helpers/cleanups.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {text} from '../fakes/model-server/index.js'

const BOT = {token: '424242:E2EE2EE2EE2EE2EE2EE2EE2EE2EE2EE2EE2E', id: 424242, username: 'e2e_bot'}
const cleanups = cleanupList()

describe('telegram through the real gateway', () => {
  it('a DM from an approved user reaches the fake model and the reply leaves through the bot; status shows the account', async () => {
    const {home, telegram: fake, model, start} = await telegramGatewayFixture(cleanups, {bots: [BOT], telegram: {dmPolicy: 'allowlist', allowFrom: ['99'], streaming: 'off'}})
    model.enqueue(text('Hello from ', 'the model'))
    const gateway = await start({timeoutMs: 8000})
    fake.dm({from: {id: 99, username: 'ann', first_name: 'Ann'}, text: 'hi bot'})
    const reply = await fake.waitFor('sendMessage', (c) => c.ok, 8000)
    expect(reply.params).toMatchObject({chat_id: '99', text: 'Hello from the model'})
    expect(JSON.stringify(model.requests[0].body)).toContain('hi bot')
    fake.dm({from: {id: 5, username: 'stranger'}, text: 'let me in'})
    await new Promise((r) => setTimeout(r, 300))
    expect(fake.calls('sendMessage')).toHaveLength(1)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)
    const local = await runCli(['channels', 'status', '--json'], {env: home.env})
    expect(local.json.result.channels[0]).toMatchObject({accountId: 'default', enabled: true, configured: true, tokenSource: 'config', mode: 'polling'})
  }, 20_000)
})
