import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {cleanupList} from '../helpers/cleanups.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome} from '../helpers/gateway-process.js'
import {startFakeTelegram, type FakeTelegram} from '../fakes/telegram-api/index.js'

// The token of issue 10's acceptance lines: short, but the right shape.
const TOKEN = '123:abc'
const cleanups = cleanupList()

async function setup(): Promise<{home: GatewayHome; fake: FakeTelegram; port: number}> {
  const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 123, username: 'issue_bot'}]})
  cleanups.push(() => fake.close())
  const port = await freePort()
  const home = makeGatewayHome({gateway: {port, auth: {token: 'gw-token'}}, channels: {telegram: {apiRoot: fake.apiRoot}}})
  cleanups.push(() => home.cleanup())
  return {home, fake, port}
}

describe('telegram CLI with the real binary and the fake Bot API', () => {
  it('channels add --token 123:abc checks it with getMe, and the gateway polls with it', async () => {
    const {home, fake, port} = await setup()
    const added = await runCli(['channels', 'add', '--channel', 'telegram', '--token', TOKEN, '--json'], {env: home.env})
    expect(added.code, added.stderr).toBe(0)
    expect(added.json.result).toMatchObject({accountId: 'default', botUsername: 'issue_bot', verified: true})
    expect(fake.calls('getMe')).toHaveLength(1)
    const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...home.env, OPENCLAW_OFFLINE: '1'})
    cleanups.push(() => gateway.kill())
    await waitForHealth(port, {proc: gateway, timeoutMs: 8000})
    expect((await fake.waitFor('getUpdates', () => true, 8000)).botId).toBe(123)
    // channels status asks the running gateway: the runtime view of issue 10's first acceptance line.
    const status = await runCli(['channels', 'status', '--json'], {env: home.env})
    expect(status.code, status.stderr).toBe(0)
    expect(status.json.result.source).toBe('gateway')
    expect(status.json.result.channels[0]).toMatchObject({accountId: 'default', running: true, connected: true, mode: 'polling', botUsername: 'issue_bot', pollingConflict: false})
  }, 20_000)

  it('message send without a gateway goes straight through the Bot API as HTML', async () => {
    const {home, fake} = await setup()
    expect((await runCli(['channels', 'add', '--token', TOKEN, '--no-verify'], {env: home.env})).code).toBe(0)
    const sent = await runCli(['message', 'send', '--channel', 'telegram', '--target', '77', '--message', 'build **done**', '--json'], {env: home.env})
    expect(sent.code, sent.stderr).toBe(0)
    expect(sent.json.result).toMatchObject({channel: 'telegram', accountId: 'default', to: '77', origin: 'local'})
    expect(sent.json.result.messageIds).toHaveLength(1)
    expect(fake.calls('sendMessage')[0].params).toMatchObject({chat_id: '77', text: 'build <b>done</b>', parse_mode: 'HTML'})
    expect(fake.calls('getUpdates')).toHaveLength(0)
  })

  it('message send with a running gateway goes through its send RPC and the account asked for; an unknown account is refused', async () => {
    const fake = await startFakeTelegram({bots: [{token: TOKEN, id: 123, username: 'issue_bot'}, {token: '456:def', id: 456, username: 'work_bot'}]})
    cleanups.push(() => fake.close())
    const port = await freePort()
    const home = makeGatewayHome({gateway: {port, auth: {token: 'gw-token'}}, channels: {telegram: {apiRoot: fake.apiRoot, accounts: {main: {botToken: TOKEN}, work: {botToken: '456:def'}}}}})
    cleanups.push(() => home.cleanup())
    const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...home.env, OPENCLAW_OFFLINE: '1'})
    cleanups.push(() => gateway.kill())
    await waitForHealth(port, {proc: gateway, timeoutMs: 8000})
    const sent = await runCli(['message', 'send', '--account', 'work', '--to', '88', '-m', 'hello', '--json'], {env: home.env})
    expect(sent.code, sent.stderr).toBe(0)
    expect(sent.json.result).toMatchObject({accountId: 'work', to: '88', origin: 'gateway'})
    expect(fake.calls('sendMessage').map((c) => [c.botId, c.params.chat_id, c.params.text])).toEqual([[456, '88', 'hello']])
    const unknown = await runCli(['message', 'send', '--account', 'nope', '--to', '88', '-m', 'hello'], {env: home.env})
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no telegram account "nope"')
    expect(unknown.stderr).toContain('openclaw channels list')
  }, 20_000)

  // The shapes are table-tested in access.test.ts; one refusal here proves the binary's exit code and message.
  it('a malformed token is refused with exit 2 and the config is untouched', async () => {
    const token = '123:'
    const {home, fake} = await setup()
    const before = readFileSync(home.configPath, 'utf8')
    const refused = await runCli(['channels', 'add', '--channel', 'telegram', '--token', token], {env: home.env})
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('does not look like a bot token')
    expect(refused.stderr).toContain('openclaw channels add --channel telegram --token')
    expect(readFileSync(home.configPath, 'utf8')).toBe(before)
    expect(fake.calls('getMe')).toHaveLength(0)
  })

  it('channels remove drops one account, keeps shared settings and the others; --delete-credentials moves its files to backups/', async () => {
    const {home} = await setup()
    home.writeConfig({channels: {telegram: {apiRoot: 'http://127.0.0.1:9', dmPolicy: 'pairing', accounts: {main: {botToken: TOKEN}, work: {botToken: '456:def', name: 'Work'}}}}})
    const credentials = path.join(home.stateDir, 'credentials')
    mkdirSync(credentials, {recursive: true, mode: 0o700})
    writeFileSync(path.join(credentials, 'telegram-work-allowFrom.json'), JSON.stringify({version: 1, allowFrom: ['7']}))
    writeFileSync(path.join(credentials, 'telegram-main-allowFrom.json'), JSON.stringify({version: 1, allowFrom: ['8']}))
    const now = new Date().toISOString()
    writeFileSync(path.join(credentials, 'telegram-pairing.json'), JSON.stringify({version: 1, requests: [
      {id: '9', code: 'AAAABBBB', accountId: 'work', createdAt: now, lastSeenAt: now, lastPromptAt: now},
      {id: '10', code: 'CCCCDDDD', accountId: 'main', createdAt: now, lastSeenAt: now, lastPromptAt: now},
    ]}))
    const before = readFileSync(home.configPath, 'utf8')
    const unknown = await runCli(['channels', 'remove', '--account', 'nope'], {env: home.env})
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no telegram account "nope"')
    expect(unknown.stderr).toContain('openclaw channels list')
    expect(readFileSync(home.configPath, 'utf8')).toBe(before)

    const removed = await runCli(['channels', 'remove', '--channel', 'telegram', '--account', 'work', '--delete-credentials', '--json'], {env: home.env})
    expect(removed.code, removed.stderr).toBe(0)
    const movedTo = removed.json.result.credentialsMovedTo as string
    expect(movedTo.startsWith(path.join(home.stateDir, 'backups'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(movedTo, 'telegram-work-allowFrom.json'), 'utf8')).allowFrom).toEqual(['7'])
    expect(JSON.parse(readFileSync(path.join(movedTo, 'telegram-pairing-work.json'), 'utf8')).requests.map((r: {code: string}) => r.code)).toEqual(['AAAABBBB'])
    expect(existsSync(path.join(credentials, 'telegram-work-allowFrom.json'))).toBe(false)
    expect(existsSync(path.join(credentials, 'telegram-main-allowFrom.json'))).toBe(true)
    const pending = await runCli(['pairing', 'list', '--json'], {env: home.env})
    expect(pending.code, pending.stderr + pending.stdout).toBe(0)
    expect(JSON.stringify(pending.json.result)).toContain('CCCCDDDD')
    expect(JSON.stringify(pending.json.result)).not.toContain('AAAABBBB')
    const list = await runCli(['channels', 'list', '--json'], {env: home.env})
    expect(JSON.stringify(list.json.result)).toContain('"main"')
    expect(JSON.stringify(list.json.result)).not.toContain('"work"')
    const config = JSON.parse(readFileSync(home.configPath, 'utf8'))
    expect(config.channels.telegram).toMatchObject({apiRoot: 'http://127.0.0.1:9', dmPolicy: 'pairing', accounts: {main: {botToken: TOKEN}}})
  })

  it('with no account, message send says how to add one; removing the only account leaves no token-less account behind', async () => {
    const home = makeGatewayHome({})
    cleanups.push(() => home.cleanup())
    const none = await runCli(['message', 'send', '--target', '1', '-m', 'hi'], {env: home.env})
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('CHANNEL_ACCOUNT_NOT_FOUND')
    expect(none.stderr).toContain('openclaw channels add --channel telegram --token <token>')
    expect((await runCli(['channels', 'add', '--token', TOKEN, '--no-verify'], {env: home.env})).code).toBe(0)
    expect((await runCli(['channels', 'remove'], {env: home.env})).code).toBe(0)
    expect((await runCli(['channels', 'list', '--json'], {env: home.env})).json.result.channels ?? []).toEqual([])
    expect(JSON.parse(readFileSync(home.configPath, 'utf8')).channels.telegram).toBeUndefined()
  })
})
