import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {cleanupList} from '../helpers/cleanups.js'
import {until} from '../helpers/until.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {startEchoModel} from '../fakes/model-server/index.js'
import {startFakeTelegram, type FakeTelegram} from '../fakes/telegram-api/index.js'

const TOKEN_A = '616161:OpsAccountAOpsAccountAOpsAccountA12'
const TOKEN_B = '626262:OpsAccountBOpsAccountBOpsAccountB12'
/** A well-formed token the fake does not know: it answers 401. */
const TOKEN_REVOKED = '636363:RevokedRevokedRevokedRevokedRevoked'
const A = 616161
const B = 626262
const cleanups = cleanupList()

/** Polls `/ready` until `check` holds for its body. */
async function waitForReady(port: number, check: (body: {ready: boolean; failing: string[]}) => boolean, timeoutMs = 15_000): Promise<{ready: boolean; failing: string[]}> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const body = (await (await fetch(`http://127.0.0.1:${port}/ready`)).json()) as {ready: boolean; failing: string[]}
    if (check(body)) return body
    if (Date.now() > deadline) throw new Error(`timed out waiting for /ready: ${JSON.stringify(body)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function setup(telegram: Record<string, unknown>): Promise<{home: GatewayHome; fake: FakeTelegram; port: number}> {
  const fake = await startFakeTelegram({bots: [{token: TOKEN_A, id: A, username: 'ops_a_bot'}, {token: TOKEN_B, id: B, username: 'ops_b_bot'}]})
  cleanups.push(() => fake.close())
  const model = await startEchoModel()
  cleanups.push(() => model.close())
  const port = await freePort()
  const home = makeGatewayHome({
    gateway: {port, auth: {token: 'gw-token'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', input: ['text']}]}}},
    agents: {defaults: {model: 'fake/m'}},
    channels: {telegram: {apiRoot: fake.apiRoot, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', ...telegram}},
  })
  cleanups.push(() => home.cleanup())
  return {home, fake, port}
}

function start(env: NodeJS.ProcessEnv): GatewayProcess {
  const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...env, OPENCLAW_OFFLINE: '1'})
  cleanups.push(() => gateway.kill())
  return gateway
}

const account = async (env: NodeJS.ProcessEnv, id: string) => {
  const status = await runCli(['channels', 'status', '--json'], {env})
  expect(status.code, status.stderr).toBe(0)
  return (status.json.result.channels as Array<Record<string, unknown>>).find((c) => c.accountId === id)!
}

describe('telegram operations through the real binary', () => {
  it('config set on account b restarts only b (a keeps polling); a revoked token fails its account alone; 429 retry_after 2 waits 2 s', async () => {
    const {home, fake, port} = await setup({accounts: {a: {botToken: TOKEN_A}, b: {botToken: TOKEN_B}, gone: {botToken: TOKEN_REVOKED}}})
    const gateway = start(home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 10_000})
    await fake.waitFor('getUpdates', (c) => c.botId === B, 10_000)
    await fake.waitFor('getUpdates', (c) => c.botId === A, 10_000)

    // 401: that account is failed with the code and the @BotFather hint; the others run.
    const gone = await account(home.env, 'gone')
    expect(gone).toMatchObject({running: false, connected: false, lastErrorCode: 'TELEGRAM_TOKEN_REJECTED'})
    expect(gone.lastError).toContain('@BotFather')
    expect(await account(home.env, 'a')).toMatchObject({running: true, connected: true, lastError: null})
    expect(readFileSync(home.logFile, 'utf8')).toMatch(/account gone stopped: .*@BotFather/)

    // Per-account reload: the file changes, the watcher applies it, only b starts again.
    const set = await runCli(['config', 'set', 'channels.telegram.accounts.b.replyToMode', 'first'], {env: home.env})
    expect(set.code, set.stderr).toBe(0)
    await until(() => fake.calls('getMe', B).length === 2, 'account b to restart', 15_000)
    fake.dm({from: {id: 91}, text: 'after reload', botId: A})
    fake.dm({from: {id: 92}, text: 'to b', botId: B})
    await fake.waitFor('sendMessage', (c) => c.ok && c.botId === A && c.params.text === 're: after reload', 10_000)
    await fake.waitFor('sendMessage', (c) => c.ok && c.botId === B && c.params.text === 're: to b', 10_000)
    expect(fake.calls('getMe', A)).toHaveLength(1)
    // a's long poll was never aborted or refused: every getUpdates of a was answered to a live client.
    expect(fake.calls('getUpdates', A).filter((c) => !c.ok || c.clientGone === true)).toEqual([])
    expect(fake.peakPollers(B)).toBe(1)

    // 429 with retry_after 2: the same request again, ≥ 2 s later.
    fake.failNext('sendMessage', {error_code: 429, description: 'Too Many Requests: retry after 2', parameters: {retry_after: 2}})
    fake.dm({from: {id: 93}, text: 'rate me', botId: A})
    const ok = await fake.waitFor('sendMessage', (c) => c.ok && c.params.text === 're: rate me', 10_000)
    const refused = fake.calls('sendMessage').find((c) => !c.ok && c.error?.error_code === 429)!
    expect(refused.params.text).toBe('re: rate me')
    expect(ok.at - refused.at).toBeGreaterThanOrEqual(2000)

    // A token revoked while polling: b stops, /ready and `health` say so at once (no 60 s stale snapshot); a keeps answering.
    fake.failNext('getUpdates', {error_code: 401, description: 'Unauthorized'}, {botId: B})
    await until(() => readFileSync(home.logFile, 'utf8').includes('account b stopped'), 'account b to stop', 15_000)
    const ready = await waitForReady(port, (body) => body.failing.includes('channel:telegram:b'))
    expect(ready.failing).toEqual(expect.arrayContaining(['channel:telegram:gone', 'channel:telegram:b']))
    const health = await runCli(['health'], {env: home.env})
    expect(health.code).toBe(3)
    expect(health.stdout).toMatch(/Telegram b: error: Telegram rejected the bot token \(401 Unauthorized\); check the token with @BotFather/)
    expect(health.stdout).toMatch(/Telegram a: connected as @/)
    fake.dm({from: {id: 94}, text: 'a still answers', botId: A})
    await fake.waitFor('sendMessage', (c) => c.ok && c.botId === A && c.params.text === 're: a still answers', 10_000)
    gateway.child.kill('SIGTERM')
    expect(await gateway.exited).toBe(0)
  }, 60_000)

  it('a second gateway (another state dir, same token) does not poll and says why; a 409 shows in channels status and the log', async () => {
    const {home, fake, port} = await setup({botToken: TOKEN_A})
    const first = start(home.env)
    await waitForHealth(port, {proc: first, timeoutMs: 10_000})
    await fake.waitFor('getUpdates', () => true, 10_000)

    // Another profile: its own state dir, config and port, on the same machine (the same temp dir).
    const port2 = await freePort()
    const other = makeGatewayHome({gateway: {port: port2, auth: {token: 'gw-token'}}, channels: {telegram: {apiRoot: fake.apiRoot, botToken: TOKEN_A}}})
    cleanups.push(() => other.cleanup())
    const env2 = {...other.env, TMPDIR: home.env.TMPDIR}
    const second = start(env2)
    await waitForHealth(port2, {proc: second, timeoutMs: 10_000})
    const blocked = await account(env2, 'default')
    expect(blocked).toMatchObject({running: false, lockHolder: {pid: first.pid}, lastError: `another openclaw process (pid ${first.pid}) is already using this bot token`})
    expect(readFileSync(other.logFile, 'utf8')).toContain(`another openclaw process (pid ${first.pid}) is already using this bot token`)
    expect(fake.calls('getMe')).toHaveLength(1)
    expect(fake.peakPollers()).toBe(1)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)

    // Someone elsewhere polls the token: Telegram answers 409; status and log say so.
    fake.failNext('getUpdates', {error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'}, {times: 1000})
    await until(() => fake.calls('getUpdates').some((c) => c.error?.error_code === 409), 'a 409', 15_000)
    const conflicted = await account(home.env, 'default')
    expect(conflicted).toMatchObject({pollingConflict: true, connected: false, lastErrorCode: 'TELEGRAM_CONFLICT', lastError: '409 Conflict: another process is polling this bot token'})
    expect(readFileSync(home.logFile, 'utf8')).toContain('409 Conflict: another process is polling this bot token')
  }, 60_000)
})
