import {afterEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {startFakeTelegram, type FakeTelegram} from '../fakes/telegram-api/index.js'

const TOKEN = '424242:E2EE2EE2EE2EE2EE2EE2EE2EE2EE2EE2EE2E'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(telegram: Record<string, unknown>): Promise<{home: GatewayHome; fake: FakeTelegram; model: FakeModel; port: number}> {
  const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 424242, username: 'e2e_bot'}]})
  cleanups.push(() => fake.close())
  const model = await startFakeModel()
  cleanups.push(() => model.close().catch(() => undefined))
  const port = await freePort()
  const home = makeGatewayHome({
    gateway: {port, auth: {token: 'gw-token'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', input: ['text']}]}}},
    agents: {defaults: {model: 'fake/m'}},
    channels: {telegram: {apiRoot: fake.apiRoot, botToken: TOKEN, ...telegram}},
  })
  cleanups.push(() => home.cleanup())
  return {home, fake, model, port}
}

function start(home: GatewayHome): GatewayProcess {
  const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...home.env, OPENCLAW_OFFLINE: '1'})
  cleanups.push(() => gateway.kill())
  return gateway
}

describe('telegram through the real gateway', () => {
  it('a DM from an approved user reaches the fake model and the reply leaves through the bot; status shows the account', async () => {
    const {home, fake, model, port} = await setup({dmPolicy: 'allowlist', allowFrom: ['99'], streaming: 'off'})
    model.enqueue(text('Hello from ', 'the model'))
    const gateway = start(home)
    await waitForHealth(port, {proc: gateway, timeoutMs: 8000})
    await fake.waitFor('getUpdates', () => true, 8000)
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
