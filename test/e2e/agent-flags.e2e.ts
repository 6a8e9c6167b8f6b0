import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {hang, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {startFakeTelegram, type FakeTelegram} from '../fakes/telegram-api/index.js'
import {runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome} from '../helpers/gateway-process.js'

const BOT = '424242:FlagsFlagsFlagsFlagsFlagsFlagsFlags'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Agent `main` on the fake model; a Telegram account on the fake Bot API; DMs get their own session. */
async function setup(): Promise<{home: GatewayHome; model: FakeModel; telegram: FakeTelegram; port: number}> {
  const telegram = await startFakeTelegram({bots: [{token: BOT, id: 424242, username: 'flags_bot'}]})
  cleanups.push(() => telegram.close())
  const model = await startFakeModel()
  cleanups.push(() => model.destroy())
  const port = await freePort()
  const home = makeGatewayHome({
    gateway: {mode: 'local', port, auth: {token: 'gw-token'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', reasoning: true}]}}},
    agents: {defaults: {model: 'fake/m'}},
    session: {dmScope: 'per-channel-peer'},
    channels: {telegram: {apiRoot: telegram.apiRoot, botToken: BOT, streaming: 'off', dmPolicy: 'allowlist', allowFrom: ['812345678']}},
  })
  cleanups.push(() => home.cleanup())
  return {home, model, telegram, port}
}

function index(home: GatewayHome): Record<string, {sessionId: string; label?: string; lastTo?: string}> {
  return JSON.parse(readFileSync(path.join(home.stateDir, 'agents', 'main', 'sessions', 'sessions.json'), 'utf8')) as Record<string, {sessionId: string}>
}

describe('openclaw agent flags (real binary, fake model, fake Bot API)', () => {
  it('--to --channel --deliver without a gateway: the session of that chat, the reply sent once through the Bot API', async () => {
    const {home, model, telegram} = await setup()
    model.enqueue(text('The **build** is green'))
    const r = await runCli(['agent', '--to', '812345678', '--channel', 'telegram', '--deliver', '-m', 'status?', '--json'], {env: home.env})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({
      origin: 'local', status: 'ok', agentId: 'main', sessionKey: 'agent:main:telegram:direct:812345678', sessionId: expect.any(String), text: 'The **build** is green',
      payloads: [{text: 'The **build** is green'}], usage: {input: expect.any(Number), output: expect.any(Number), total: expect.any(Number)}, model: 'fake/m', delivered: true,
    })
    const sent = telegram.calls('sendMessage')
    expect(sent).toHaveLength(1)
    expect(sent[0].params).toMatchObject({chat_id: '812345678', text: 'The <b>build</b> is green', parse_mode: 'HTML'})
    expect(index(home)['agent:main:telegram:direct:812345678']).toMatchObject({sessionId: r.json.result.sessionId, lastTo: '812345678'})
  })

  it('through a running gateway: --deliver lands in the fake API once, delivered: true, and --session-id continues that session', async () => {
    const {home, model, telegram, port} = await setup()
    const gateway = spawnGateway(['gateway', 'run'], {...home.env, OPENCLAW_OFFLINE: '1'})
    cleanups.push(() => gateway.kill())
    await waitForHealth(port, {proc: gateway, timeoutMs: 15_000})
    model.enqueue(text('on its way'))
    const r = await runCli(['agent', '--to', '812345678', '--deliver', '-m', 'ship it', '--json'], {env: home.env})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({origin: 'gateway', status: 'ok', sessionKey: 'agent:main:telegram:direct:812345678', delivered: true, model: 'fake/m'})
    const sent = telegram.calls('sendMessage')
    expect(sent.map((call) => call.params)).toMatchObject([{chat_id: '812345678', text: 'on its way'}])

    model.enqueue(text('same session'))
    const again = await runCli(['agent', '--session-id', r.json.result.sessionId, '-m', 'and now?', '--json'], {env: home.env})
    expect(again.code).toBe(0)
    expect(again.json.result).toMatchObject({sessionKey: 'agent:main:telegram:direct:812345678', sessionId: r.json.result.sessionId, delivered: false})
    expect(JSON.stringify(model.requests[1].body)).toContain('ship it')
    expect(telegram.calls('sendMessage')).toHaveLength(1)

    const local = await runCli(['agent', '--local', '-m', 'x'], {env: home.env})
    expect(local.code).toBe(1)
    expect(local.stderr).toMatch(/Error \(STATE_LOCKED\): a gateway is running \(pid \d+\); drop --local to go through it/)
  }, 30_000)

  it('--message-file - reads stdin; --thinking and --model reach the request; a bad target with --deliver writes nothing', async () => {
    const {home, model, telegram} = await setup()
    const bad = await runCli(['agent', '--to', 'not-a-chat', '--deliver', '-m', 'x', '--local'], {env: home.env})
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('Error (DELIVERY_TARGET_INVALID): cannot deliver the reply: "not-a-chat" is not a telegram chat id')
    expect(bad.stderr).toContain('openclaw agent --channel telegram --to <chatId> --deliver')
    const noTarget = await runCli(['agent', '--deliver', '-m', 'x', '--local'], {env: home.env})
    expect(noTarget.code).toBe(1)
    expect(noTarget.stderr).toContain('agent:main:main has no last route')
    const unknownId = await runCli(['agent', '--session-id', 'nope', '-m', 'x', '--local'], {env: home.env})
    expect(unknownId.code).toBe(1)
    expect(unknownId.stderr).toContain('Error (SESSION_NOT_FOUND): no session has id nope')
    expect(existsSync(path.join(home.stateDir, 'agents'))).toBe(false)

    model.enqueue(text('read it'))
    const piped = await runCli(['agent', '--message-file', '-', '--thinking', 'high', '--model', 'fake/m'], {env: home.env, input: 'line one\nline two\n'})
    expect(piped.code).toBe(0)
    expect(piped.stdout).toBe('read it\n')
    const body = model.requests[0].body as {messages: Array<{role: string; content: unknown}>; reasoning_effort?: string; model: string}
    expect(body.messages.at(-1)).toMatchObject({role: 'user', content: 'line one\nline two'})
    expect(body).toMatchObject({reasoning_effort: 'high', model: 'm'})
    expect(telegram.calls('sendMessage')).toHaveLength(0)
  })

  it('--timeout is the run timeout in seconds: a stalled model ends with status timeout and exit 1', async () => {
    const {home, model} = await setup()
    model.enqueue(hang({afterChunks: 1, text: ['partial ']}))
    const r = await runCli(['agent', '--timeout', '1', '-m', 'slow', '--json', '--local'], {env: home.env})
    expect(r.code).toBe(1)
    expect(r.json.result).toMatchObject({status: 'timeout', origin: 'local'})
  })
})
