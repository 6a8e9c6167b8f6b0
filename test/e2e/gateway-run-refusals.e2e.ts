import {readFileSync, writeFileSync} from 'node:fs'

import {afterEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'

const TOKEN = 'refusal-e2e-token'
const homes: GatewayHome[] = []
const gateways: GatewayProcess[] = []

afterEach(async () => {
  for (const g of gateways.splice(0)) {
    g.kill()
    await g.exited
  }
  for (const h of homes.splice(0)) h.cleanup()
})

function home(config: Record<string, unknown> = {}): GatewayHome {
  const h = makeGatewayHome(config)
  homes.push(h)
  return h
}

async function running(h: GatewayHome, port: number): Promise<GatewayProcess> {
  const g = spawnGateway(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(port)], h.env)
  gateways.push(g)
  await waitForHealth(port, {proc: g})
  return g
}

/** The last file-log record, which a refusal writes at fatal. */
function lastLogRecord(h: GatewayHome): {level: string; message: string} {
  const lines = readFileSync(h.logFile, 'utf8').trim().split('\n')
  return JSON.parse(lines[lines.length - 1])
}

describe('gateway run refusals (exit 78 with the specified text)', () => {
  it.each([
    {
      name: '--bind lan without auth',
      args: ['--bind', 'lan', '--auth', 'none', '--allow-unconfigured'],
      code: 'GATEWAY_CONFIG',
      message: (port: number) => `refusing to bind gateway to 0.0.0.0:${port} without auth (set gateway.auth.token, or use --bind loopback)`,
    },
    {
      name: '--bind lan in token mode with no token anywhere',
      args: ['--bind', 'lan', '--allow-unconfigured'],
      code: 'GATEWAY_CONFIG',
      message: (port: number) => `refusing to bind gateway to 0.0.0.0:${port} without auth (set gateway.auth.token, or use --bind loopback)`,
    },
    {
      name: 'token mode without a token on loopback',
      args: ['--allow-unconfigured'],
      code: 'GATEWAY_CONFIG',
      message: () => 'gateway.auth.mode is token but no token is set; generate one: openclaw config set gateway.auth.token "$(openssl rand -hex 24)"',
    },
    {
      name: 'gateway.mode not set',
      args: ['--token', TOKEN],
      code: 'GATEWAY_CONFIG',
      message: () => 'gateway.mode is not set in CONFIG; run: openclaw config set gateway.mode local',
    },
  ])('$name', async ({args, code, message}) => {
    const h = home()
    const port = await freePort()
    const r = await runCli(['gateway', 'run', '--port', String(port), ...args], {env: h.env})
    const expected = message(port).replace('CONFIG', h.configPath)
    expect(r.code).toBe(78)
    expect(r.stderr).toContain(`Error (${code}): ${expected}`)
    expect(lastLogRecord(h)).toMatchObject({level: 'fatal', message: expected})
  })

  it('gateway.mode remote', async () => {
    const h = home({gateway: {mode: 'remote', remote: {url: 'ws://10.0.0.5:18789'}}})
    const r = await runCli(['gateway', '--token', TOKEN, '--port', String(await freePort())], {env: h.env})
    expect(r.code).toBe(78)
    expect(r.stderr).toContain('this config points at a remote gateway (gateway.mode=remote); set gateway.mode to local to run one here')
  })

  it('an invalid config, with every issue listed', async () => {
    const h = home()
    writeFileSync(h.configPath, JSON.stringify({gateway: {port: 'x', bind: 'nope'}, bogus: 1, logging: {file: h.logFile}}))
    const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured'], {env: h.env})
    expect(r.code).toBe(78)
    expect(r.stderr).toContain('Error (CONFIG_INVALID): Config ~/.openclaw/openclaw.json is invalid (3 issues):')
    expect(r.stderr).toMatch(/ {2}- gateway\.port: .*\n {2}- gateway\.bind: .*\n {2}- bogus: unknown key/)
    expect(lastLogRecord(h)).toMatchObject({level: 'fatal', message: expect.stringContaining('bogus: unknown key')})
  })

  it('an invalid OPENCLAW_GATEWAY_PORT', async () => {
    const h = home()
    const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured'], {env: {...h.env, OPENCLAW_GATEWAY_PORT: 'abc'}})
    expect(r.code).toBe(78)
    expect(r.stderr).toContain('OPENCLAW_GATEWAY_PORT: expected a port number (1-65535), got "abc"')
  })

  it('a state dir writable by others', async () => {
    const h = home()
    const {chmodSync} = await import('node:fs')
    chmodSync(h.stateDir, 0o777)
    const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(await freePort())], {env: h.env})
    expect(r.code).toBe(78)
    expect(r.stderr).toContain(`state dir ${h.stateDir} is writable by other users; fix: chmod 700 ${h.stateDir}`)
  })

  it('a second gateway on the same state dir', async () => {
    const h = home()
    const port = await freePort()
    const first = await running(h, port)
    const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(await freePort())], {env: h.env})
    expect(r.code).toBe(78)
    expect(r.stderr).toContain(`Error (GATEWAY_ALREADY_RUNNING): another gateway is already running for this state dir (pid ${first.pid}, port ${port}); stop it: openclaw gateway stop`)
    // The refused one must not have touched the running gateway's lock.
    expect(await waitForHealth(port, {timeoutMs: 1000})).toBeGreaterThanOrEqual(0)
  })

  it('a second gateway on the same port (another state dir)', async () => {
    const port = await freePort()
    await running(home(), port)
    const other = home()
    const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(port)], {env: other.env})
    expect(r.code).toBe(78)
    expect(r.stderr).toMatch(new RegExp(`Error \\(GATEWAY_ALREADY_RUNNING\\): port ${port} is used by another gateway \\(openclaw \\d+\\.\\d+\\.\\d+\\); pick another: openclaw config set gateway\\.port ${port + 1}`))
  })

  it('a port held by another program: retried for 5 s, then exit 1', async () => {
    const net = await import('node:net')
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as {port: number}).port
    try {
      const h = home()
      const started = Date.now()
      const r = await runCli(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(port)], {env: h.env, timeoutMs: 15_000})
      expect(r.code).toBe(1)
      expect(Date.now() - started).toBeGreaterThanOrEqual(4500)
      expect(r.stderr).toContain(`Error (GATEWAY_PORT_IN_USE): port ${port} is in use by another program; free it or pick another port: openclaw config set gateway.port ${port + 1}`)
    } finally {
      blocker.close()
    }
  })

  it('a stale lock (dead pid) is removed and logged', async () => {
    const h = home()
    const {mkdirSync} = await import('node:fs')
    const os = await import('node:os')
    mkdirSync(`${h.stateDir}/locks`, {recursive: true, mode: 0o700})
    writeFileSync(`${h.stateDir}/locks/gateway.lock`, JSON.stringify({pid: 2 ** 22 + 7, hostname: os.hostname(), port: 1, startedAt: new Date().toISOString(), version: '0.0.1'}))
    const port = await freePort()
    const g = await running(h, port)
    await g.waitForStderr(`removed stale gateway lock (pid ${2 ** 22 + 7})`)
  })
})
