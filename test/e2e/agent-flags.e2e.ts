/**
 * `openclaw agent` flags with the real binary against one fake model and one fake Bot API, shared
 * by every case. The cases are independent and run concurrently: each embedded case has a home of
 * its own (an embedded run holds its state dir's lock) and a model id of its own (the fake model
 * answers by model), the gateway cases share one running gateway. Request resolution itself
 * (selectors, targets, threads, best effort) is table-tested in test/unit/agents/run.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {hang, text, type FakeModel} from '../fakes/model-server/index.js'
import {runCli} from '../helpers/cli.js'
import {cleanupList} from '../helpers/cleanups.js'
import {makeGatewayHome, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {telegramGatewayFixture, type TelegramGatewayFixture} from '../helpers/telegram-gateway-fixture.js'

const GATEWAY_BOT = {token: '424242:FlagsFlagsFlagsFlagsFlagsFlagsFlags', id: 424242, username: 'flags_bot'}
const LOCAL_BOT = {token: '434343:LocalLocalLocalLocalLocalLocalLocal', id: 434343, username: 'flags_local_bot'}
const MODELS = ['m', 'gwlost', 'topic', 'think', 'slow']
const TIMEOUT = 60_000
/** Cases run concurrently, beside other files: a CLI run gets more than runCli's default 15 s before it is killed. */
const CLI_MS = 45_000

const cleanups = cleanupList(afterAll)
let fx: TelegramGatewayFixture
let gateway: Promise<GatewayProcess>

/** The config both kinds of home share: every model id on the fake model, DMs per chat. */
function shared(model: FakeModel, defaultModel: string): Record<string, unknown> {
  return {
    models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: MODELS.map((id) => ({id, name: id, reasoning: true}))}}},
    agents: {defaults: {model: `fake/${defaultModel}`}},
    session: {dmScope: 'per-channel-peer'},
  }
}

/** A home of its own for an embedded case, delivering through LOCAL_BOT; its default model is `defaultModel`. */
function localHome(defaultModel: string): GatewayHome {
  const home = makeGatewayHome({...shared(fx.model, defaultModel), channels: {telegram: {apiRoot: fx.telegram.apiRoot, botToken: LOCAL_BOT.token, streaming: 'off'}}})
  cleanups.push(() => home.cleanup())
  return home
}

function index(home: GatewayHome): Record<string, {sessionId: string; lastTo?: string; lastThreadId?: string}> {
  return JSON.parse(readFileSync(path.join(home.stateDir, 'agents', 'main', 'sessions', 'sessions.json'), 'utf8')) as Record<string, {sessionId: string}>
}

const sentTo = (chatId: string) => fx.telegram.calls('sendMessage').filter((call) => call.params.chat_id === chatId)

beforeAll(async () => {
  fx = await telegramGatewayFixture(cleanups, {
    bots: [GATEWAY_BOT, LOCAL_BOT],
    telegram: {streaming: 'off', dmPolicy: 'allowlist', allowFrom: ['812345678']},
    config: ({model}) => shared(model, 'm'),
  })
  fx.telegram.blockUser(555)
  fx.telegram.blockUser(777)
  // Booting in the background: the embedded cases run meanwhile.
  gateway = fx.start({poll: false})
  void gateway.catch(() => undefined)
})

describe.concurrent('openclaw agent flags (real binary, fake model, fake Bot API)', () => {
  it('through a running gateway: --deliver lands once, delivered: true; --session-id continues that session and --reply-to/--thread-id deliver elsewhere', async () => {
    await gateway
    fx.model.enqueueFor('m', text('on its way'), text('same session'))
    const r = await runCli(['agent', '--to', '812345678', '--deliver', '-m', 'ship it', '--json'], {env: fx.home.env, timeoutMs: CLI_MS})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({origin: 'gateway', status: 'ok', sessionKey: 'agent:main:telegram:direct:812345678', delivered: true, model: 'fake/m'})
    expect(sentTo('812345678').map((call) => call.params)).toMatchObject([{chat_id: '812345678', text: 'on its way'}])

    const again = await runCli(['agent', '--session-id', r.json.result.sessionId, '--deliver', '--reply-to', '-1009999', '--thread-id', '5', '-m', 'and now?', '--json'], {env: fx.home.env, timeoutMs: CLI_MS})
    expect(again.code).toBe(0)
    expect(again.json.result).toMatchObject({sessionKey: 'agent:main:telegram:direct:812345678', sessionId: r.json.result.sessionId, delivered: true, delivery: {channel: 'telegram', to: '-1009999', threadId: '5', state: 'delivered'}})
    expect(JSON.stringify(fx.model.requests.find((request) => JSON.stringify(request.body).includes('and now?'))?.body)).toContain('ship it')
    expect(sentTo('-1009999').map((call) => call.params)).toMatchObject([{text: 'same session', message_thread_id: 5}])
    expect(sentTo('812345678')).toHaveLength(1)
  }, TIMEOUT)

  it('with a gateway running, --local is refused', async () => {
    await gateway
    const local = await runCli(['agent', '--local', '-m', 'x'], {env: fx.home.env, timeoutMs: CLI_MS})
    expect(local.code).toBe(1)
    expect(local.stderr).toMatch(/Error \(STATE_LOCKED\): a gateway is running \(pid \d+\); drop --local to go through it/)
  }, TIMEOUT)

  it('through a running gateway: a reply the Bot API refuses is DELIVERY_FAILED, exit 1, with the reply in the result', async () => {
    await gateway
    fx.model.enqueueFor('gwlost', text('nobody hears this'))
    const r = await runCli(['agent', '--to', '777', '--deliver', '--model', 'fake/gwlost', '-m', 'x', '--json'], {env: fx.home.env, timeoutMs: CLI_MS})
    expect(r.code).toBe(1)
    expect(r.json.error).toMatchObject({code: 'DELIVERY_FAILED', message: expect.stringContaining('the reply was not delivered to telegram 777'), hint: expect.arrayContaining(['Check the account and the chat: openclaw channels status --probe'])})
    expect(r.json.result).toMatchObject({origin: 'gateway', status: 'ok', text: 'nobody hears this', delivered: false, delivery: {to: '777', state: 'failed'}})
  }, TIMEOUT)

  it('--to --thread-id --deliver without a gateway: the forum topic\'s session, the reply sent once into the topic through the Bot API', async () => {
    const home = localHome('topic')
    fx.model.enqueueFor('topic', text('The **build** is green'))
    const r = await runCli(['agent', '--to', '-1001234567890', '--thread-id', '42', '--channel', 'telegram', '--deliver', '-m', 'status?', '--json'], {env: home.env, timeoutMs: CLI_MS})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({
      origin: 'local', status: 'ok', agentId: 'main', sessionKey: 'agent:main:telegram:group:-1001234567890:topic:42', sessionId: expect.any(String), text: 'The **build** is green',
      payloads: [{text: 'The **build** is green'}], usage: {input: expect.any(Number), output: expect.any(Number), total: expect.any(Number)}, model: 'fake/topic', delivered: true,
    })
    const sent = sentTo('-1001234567890')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({botId: LOCAL_BOT.id, params: {text: 'The <b>build</b> is green', parse_mode: 'HTML', message_thread_id: 42}})
    expect(index(home)['agent:main:telegram:group:-1001234567890:topic:42']).toMatchObject({sessionId: r.json.result.sessionId, lastTo: '-1001234567890', lastThreadId: '42'})
  }, TIMEOUT)

  it('--message-file - reads stdin; --thinking and --model reach the request; --best-effort-deliver: a refused send is a warning and exit 0, the reply printed', async () => {
    const home = localHome('m')
    fx.model.enqueueFor('think', text('read it'))
    const piped = await runCli(['agent', '--message-file', '-', '--thinking', 'high', '--model', 'fake/think', '--to', '555', '--deliver', '--best-effort-deliver'], {env: home.env, input: 'line one\nline two\n', timeoutMs: CLI_MS})
    expect(piped.code).toBe(0)
    expect(piped.stdout).toBe('read it\n')
    const body = fx.model.requests.find((request) => (request.body as {model: string}).model === 'think')?.body as {messages: Array<{role: string; content: unknown}>; reasoning_effort?: string}
    expect(body.messages.at(-1)).toMatchObject({role: 'user', content: 'line one\nline two'})
    expect(body.reasoning_effort).toBe('high')
    expect(piped.stderr).toContain('the reply was not delivered to telegram 555 (failed); check the account: openclaw channels status --probe')
    expect(sentTo('555').length).toBeGreaterThan(0)
    expect(sentTo('555').every((call) => !call.ok)).toBe(true)
  }, TIMEOUT)

  it('--timeout is the run timeout in seconds: a stalled model ends with status timeout and exit 1', async () => {
    const home = localHome('slow')
    fx.model.enqueueFor('slow', hang({afterChunks: 1, text: ['partial ']}))
    const r = await runCli(['agent', '--timeout', '1', '-m', 'slow', '--json', '--local'], {env: home.env, timeoutMs: CLI_MS})
    expect(r.code).toBe(1)
    expect(r.json.result).toMatchObject({status: 'timeout', origin: 'local'})
  }, TIMEOUT)

  it('a bad target with --deliver: exit 1 with the fix, nothing written', async () => {
    const home = localHome('m')
    const bad = await runCli(['agent', '--to', 'not-a-chat', '--deliver', '-m', 'x', '--local'], {env: home.env, timeoutMs: CLI_MS})
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('Error (DELIVERY_TARGET_INVALID): cannot deliver the reply: "not-a-chat" is not a telegram chat id')
    expect(bad.stderr).toContain('openclaw agent --channel telegram --to <chatId> --deliver')
    expect(existsSync(path.join(home.stateDir, 'agents'))).toBe(false)
  }, TIMEOUT)
})
