import {existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

const base = ['onboard', '--non-interactive', '--accept-risk', '--flow', 'quickstart']
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8)

/** A fake Bot API answering getMe: 401 for the token "1:bad", the bot otherwise (real HTTP on 127.0.0.1). */
async function fakeTelegram(): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer((req, res) => {
    const bad = req.url?.startsWith('/bot1:bad/') === true
    res.writeHead(bad ? 401 : 200, {'content-type': 'application/json'})
    res.end(JSON.stringify(bad ? {ok: false, error_code: 401, description: 'Unauthorized'} : {ok: true, result: {id: 1, is_bot: true, username: 'ana_home_bot'}}))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve()))}
}

describe('onboard --non-interactive', () => {
  it('writes a valid config, a token and the workspace files, offline', async () => {
    const r = await runCli([...base, '--provider', 'openai', '--model', 'openai/gpt-4o-mini', '--api-key-env', 'OPENAI_API_KEY', '--telegram-token', '123:abc', '--telegram-api-root', 'http://127.0.0.1:9', '--json'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({mode: 'local', flow: 'quickstart', model: 'openai/gpt-4o-mini', gateway: {bind: 'loopback', authMode: 'token'}, telegram: {accountId: 'default', botUsername: null}})
    expect(r.json.warnings.join('\n')).toContain('it was saved unchecked')
    const config = JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8'))
    expect(config.gateway.auth.token).toMatch(/^[0-9a-f]{64}$/)
    expect(config.agents.defaults.model).toEqual({primary: 'openai/gpt-4o-mini'})
    expect(config.channels.telegram).toEqual({botToken: '123:abc', dmPolicy: 'pairing'})
    expect(config.tools.profile).toBe('coding')
    expect(config.session.dmScope).toBe('per-channel-peer')
    expect(config.wizard.lastRunFlow).toBe('quickstart')
    expect(r.json.result.dashboardUrl).toBe(`http://127.0.0.1:${config.gateway.port}/#token=${config.gateway.auth.token}`)
    expect(readdirSync(path.join(t.stateDir, 'workspace')).sort()).toEqual(['AGENTS.md', 'BOOTSTRAP.md', 'HEARTBEAT.md', 'IDENTITY.md', 'SOUL.md', 'TOOLS.md', 'USER.md'])
    expect(mode(path.join(t.stateDir, 'openclaw.json'))).toBe('600')
    expect(mode(path.join(t.stateDir, 'agents', 'main', 'sessions'))).toBe('700')
    const validate = await runCli(['config', 'validate', '--json'], {env: t.env})
    expect(validate.json.result.valid).toBe(true)
    const doctor = await runCli(['doctor', '--json'], {env: t.env})
    expect(doctor.code).toBe(0)
  })

  it.each([
    [['onboard', '--non-interactive'], '--non-interactive requires --accept-risk'],
    [[...base, '--provider', 'anthropic'], 'missing --anthropic-api-key or --api-key-env (no ANTHROPIC_API_KEY in the environment) (required with --non-interactive)'],
    [[...base, '--mode', 'remote'], 'missing --remote-url (required with --mode remote)'],
    [[...base, '--telegram-token', '1:x', '--telegram-dm-policy', 'allowlist'], '--telegram-allow-from (required with --telegram-dm-policy allowlist)'],
    [['onboard', '--json'], '--json never prompts'],
    [['onboard'], 'onboard needs a terminal; for scripts use: openclaw onboard --non-interactive --accept-risk'],
  ])('%j → exit 2 naming the flag, nothing written', async (args, message) => {
    const r = await runCli(args, {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr + r.stdout).toContain(message)
    expect(existsSync(t.stateDir)).toBe(false)
  })

  it('a token Telegram rejects (401) exits 1 and writes nothing; a good one is checked and named', async () => {
    const tg = await fakeTelegram()
    try {
      const bad = await runCli([...base, '--telegram-token', '1:bad', '--telegram-api-root', tg.url], {env: t.env})
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain('Telegram rejected the bot token (Unauthorized); nothing was written')
      expect(existsSync(t.stateDir)).toBe(false)
      const good = await runCli([...base, '--telegram-token', '1:good', '--telegram-api-root', tg.url, '--json'], {env: t.env})
      expect(good.json.result.telegram).toEqual({accountId: 'default', botUsername: 'ana_home_bot'})
    } finally {
      await tg.close()
    }
  })

  it('stores a typed key 0600 in auth-profiles.json; a re-run modifies without losing data; --reset moves files to backups/', async () => {
    const r = await runCli([...base, '--openai-api-key', 'sk-test-123', '--json'], {env: t.env})
    expect(r.code).toBe(0)
    const profiles = path.join(t.stateDir, 'agents', 'main', 'agent', 'auth-profiles.json')
    expect(JSON.parse(readFileSync(profiles, 'utf8')).profiles['openai:default']).toEqual({type: 'api_key', provider: 'openai', key: 'sk-test-123'})
    expect(mode(profiles)).toBe('600')
    expect(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8')).not.toContain('sk-test-123')
    writeFileSync(path.join(t.stateDir, 'workspace', 'USER.md'), 'mine\n')
    const token = JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8')).gateway.auth.token
    const again = await runCli([...base, '--json'], {env: t.env})
    expect(again.code).toBe(0)
    expect(JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8')).gateway.auth.token).toBe(token)
    expect(readFileSync(path.join(t.stateDir, 'workspace', 'USER.md'), 'utf8')).toBe('mine\n')
    const before = readFileSync(path.join(t.stateDir, 'openclaw.json'))
    const reset = await runCli([...base, '--reset', '--reset-scope', 'config+creds+sessions', '--json'], {env: t.env})
    expect(reset.code).toBe(0)
    const backups = readdirSync(path.join(t.stateDir, 'backups')).filter((n) => n.startsWith('onboard-reset-'))
    expect(backups).toHaveLength(1)
    expect(readFileSync(path.join(t.stateDir, 'backups', backups[0], 'openclaw.json'))).toEqual(before)
    expect(existsSync(path.join(t.stateDir, 'backups', backups[0], 'agents', 'main', 'agent', 'auth-profiles.json'))).toBe(true)
  })

  it('an invalid existing config stops with the doctor hint and is left alone', async () => {
    mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
    writeFileSync(path.join(t.stateDir, 'openclaw.json'), '{gateway: {port: "abc"}}', {mode: 0o600})
    const before = snapshotDir(t.home)
    const r = await runCli(base, {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Your config is invalid; run: openclaw doctor --fix, then onboard again')
    expect(snapshotDir(t.home)).toEqual(before)
  })
})

describe('onboard --install-daemon', () => {
  it('installs the service through gateway install\'s steps (fake systemctl, as root) and reports the unit', async () => {
    const {makeFakeServiceTools} = await import('../fakes/service-tools.js')
    const fake = makeFakeServiceTools(t.home)
    const env = {...t.env, ...fake.env}
    const r = await runCli([...base, '--install-daemon', '--skip-health', '--json'], {env})
    expect(r.code).toBe(0)
    const unitPath = path.join(fake.systemRoot, 'etc', 'systemd', 'system', 'openclaw-gateway.service')
    expect(r.json.result.service).toEqual({installed: true, path: unitPath})
    expect(readFileSync(unitPath, 'utf8')).toContain(`Environment=OPENCLAW_STATE_DIR=${t.stateDir}`)
    expect(fake.calls().filter((c) => /^systemctl (daemon-reload|enable|restart)/.test(c)).map((c) => c.split(' ')[1])).toEqual(['daemon-reload', 'enable', 'restart'])
    expect(r.json.result.next[0]).toBe('openclaw gateway status')
  })
})
