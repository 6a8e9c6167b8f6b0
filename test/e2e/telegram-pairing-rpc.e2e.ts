import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {cleanupList} from '../helpers/cleanups.js'
import {telegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'
import {text} from '../fakes/model-server/index.js'
import {connectClient, connectParams} from '../unit/gateway/harness.js'

const BOT = {token: '454545:PAIRPAIRPAIRPAIRPAIRPAIRPAIRPAIRPAIR', id: 454545, username: 'pair_bot'}
const cleanups = cleanupList()

describe('channels.pairing.list / approve RPCs through the real gateway', () => {
  it('lists the pending code, approves it with notify through the running bot, refuses it the second time; the CLI --notify uses the gateway, else the files; the startup log names the account', async () => {
    const {telegram: fake, model, home, port, start} = await telegramGatewayFixture(cleanups, {bots: [BOT], telegram: {streaming: 'off'}})
    model.enqueue(text('welcome in'))
    const gateway = await start({timeoutMs: 8000})
    const logged = readFileSync(home.logFile, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as {msg?: string; message?: string}))
    expect(logged.map((l) => l.msg ?? l.message)).toContain('channels: starting telegram:default')

    fake.dm({from: {id: 55, username: 'zoe', first_name: 'Zoe'}, text: 'hello?'})
    const prompt = await fake.waitFor('sendMessage', (c) => c.ok, 8000)
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(String(prompt.params.text))![1]

    // The CLI path once (`gateway call`), then a protocol client with only operator.pairing (CLI spawns are slow on a loaded box).
    const list = await runCli(['gateway', 'call', 'channels.pairing.list', '--params', '{channel: "telegram"}', '--json'], {env: home.env})
    expect(list.code).toBe(0)
    expect(list.json).toMatchObject({channel: 'telegram', requests: [{code, id: '55', accountId: 'default', meta: {username: 'zoe', firstName: 'Zoe'}}]})
    const {client} = await connectClient(`ws://127.0.0.1:${port}`, connectParams({auth: {token: 'gw-token'}, scopes: ['operator.pairing']}))
    cleanups.push(() => client.ws.close())

    const approve = await client.request('channels.pairing.approve', {channel: 'telegram', code: `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`, notify: true})
    expect(approve.payload).toMatchObject({ok: true, channel: 'telegram', id: '55', accountId: 'default', notified: true})
    await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === '55' && String(c.params.text).includes('OpenClaw access approved'), 8000)

    const again = await client.request('channels.pairing.approve', {channel: 'telegram', code})
    expect(again).toMatchObject({ok: false, error: {message: `pairing code not found or expired: ${code}`}})
    expect((await client.request('channels.pairing.list', {channel: 'telegram'})).payload.requests).toEqual([])
    expect((await client.request('channels.pairing.list', {channel: 'slack'})).error.message).toContain('only telegram supports pairing')

    fake.dm({from: {id: 55, username: 'zoe', first_name: 'Zoe'}, text: 'now?'})
    await fake.waitFor('sendMessage', (c) => c.ok && c.params.text === 'welcome in', 8000)

    // `pairing approve --notify` goes through the running gateway; with none, the local path says so.
    const codeOf = async (id: number) => {
      fake.dm({from: {id, first_name: `U${id}`}, text: 'hi'})
      const sent = await fake.waitFor('sendMessage', (c) => c.ok && String(c.params.chat_id) === String(id), 8000)
      return /Pairing code: ([A-Z2-9]{8})/.exec(String(sent.params.text))![1]
    }
    const [viaGateway, viaFiles] = [await codeOf(66), await codeOf(77)]
    const cliApprove = await runCli(['pairing', 'approve', 'telegram', viaGateway, '--notify', '--json'], {env: home.env})
    expect(cliApprove.code).toBe(0)
    expect(cliApprove.json.result).toMatchObject({userId: '66', accountId: 'default', notified: true})
    expect(JSON.stringify(cliApprove.json)).not.toContain('no gateway is running')
    await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === '66' && String(c.params.text).includes('OpenClaw access approved'), 8000)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)
    const offline = await runCli(['pairing', 'approve', 'telegram', viaFiles, '--notify', '--json'], {env: home.env})
    expect(offline.code).toBe(0)
    expect(offline.json.result).toMatchObject({userId: '77', notified: true})
    expect(JSON.stringify(offline.json)).toContain('no gateway is running: approved in the local files and sent the notice directly')
    await fake.waitFor('sendMessage', (c) => c.ok && c.params.chat_id === '77' && String(c.params.text).includes('OpenClaw access approved'), 8000)
  }, 30_000)
})
