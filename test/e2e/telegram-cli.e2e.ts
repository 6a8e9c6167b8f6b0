import {readFileSync} from 'node:fs'

import {afterEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome} from '../helpers/gateway-process.js'
import {startFakeTelegram, type FakeTelegram} from '../fakes/telegram-api/index.js'

// The token of issue 10's acceptance lines: short, but the right shape.
const TOKEN = '123:abc'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

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
})
