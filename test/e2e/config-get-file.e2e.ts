import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

function writeConfig(value: unknown, name = 'openclaw.json'): string {
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  const file = path.join(t.stateDir, name)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2), {mode: 0o600})
  return file
}

describe('openclaw config get / file without a config file', () => {
  it('prints the default gateway port', async () => {
    const r = await runCli(['config', 'get', 'gateway.port'], {env: t.env})
    expect(r).toMatchObject({code: 0, stdout: '18789\n', stderr: ''})
  })

  it.each([
    [[], '.openclaw'],
    [['--profile', 'work'], '.openclaw-work'],
    [['--dev'], '.openclaw-dev'],
  ])('config file %j prints ~/%s/openclaw.json', async (flags, dir) => {
    const r = await runCli([...flags, 'config', 'file'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${t.home}/${dir}/openclaw.json\n`)
    const j = await runCli([...flags, 'config', 'file', '--json'], {env: t.env})
    expect(j.json).toEqual({ok: true, result: {path: `${t.home}/${dir}/openclaw.json`, exists: false, stateDir: `${t.home}/${dir}`, profile: dir === '.openclaw' ? null : dir.slice('.openclaw-'.length)}, warnings: []})
  })

  it('--dev makes gateway.port 19001, without warning about a variable the user never set (issue 9 item 12)', async () => {
    const r = await runCli(['--dev', 'config', 'get', 'gateway.port'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('19001\n')
    expect(r.stderr).toBe('')
    const j = await runCli(['config', 'get', 'gateway.port', '--json', '--dev'], {env: t.env})
    expect(j.json).toEqual({ok: true, result: {path: 'gateway.port', value: 19001, source: 'effective', isDefault: false}, warnings: []})
  })

  it('reports a default as isDefault in --json', async () => {
    const r = await runCli(['config', 'get', 'gateway.bind', '--json'], {env: t.env})
    expect(r.json).toEqual({ok: true, result: {path: 'gateway.bind', value: 'loopback', source: 'effective', isDefault: true}, warnings: []})
  })

  it.each([
    ['gateway.prot', 'Config path not found: gateway.prot (did you mean gateway.port?)'],
    ['nosuchsection.key', 'Config path not found: nosuchsection.key'],
  ])('an unknown path (%s) exits 1 with CONFIG_PATH_NOT_FOUND', async (p, message) => {
    const r = await runCli(['config', 'get', p], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`Error (CONFIG_PATH_NOT_FOUND): ${message}`)
    const j = await runCli(['config', 'get', p, '--json'], {env: t.env})
    expect(j.json).toMatchObject({ok: false, error: {code: 'CONFIG_PATH_NOT_FOUND', message, exitCode: 1}})
  })

  it('a known path with no value and no default exits 1', async () => {
    const r = await runCli(['config', 'get', 'gateway.auth.token'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (CONFIG_PATH_NOT_FOUND): Config path not found: gateway.auth.token')
  })

  it('config validate: a missing file is valid, with a warning', async () => {
    const configPath = `${t.home}/.openclaw/openclaw.json`
    const r = await runCli(['config', 'validate'], {env: t.env})
    expect(r).toMatchObject({code: 0, stdout: `Config OK: ${configPath}\n`})
    expect(r.stderr).toContain(`No config file at ${configPath}; defaults apply`)
    const j = await runCli(['config', 'validate', '--json'], {env: t.env})
    expect(j.json.result).toEqual({path: configPath, exists: false, valid: true, issues: [], warnings: [`No config file at ${configPath}; defaults apply`]})
  })

  it('a bad path is a usage error (exit 2)', async () => {
    const r = await runCli(['config', 'get', 'gateway..port', '--json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ok: false, error: {code: 'CONFIG_PATH_INVALID', message: 'invalid config path: gateway..port', exitCode: 2}})
  })
})

describe('openclaw config get with a config file', () => {
  it('prints strings bare and other values as 2-space JSON', async () => {
    writeConfig({gateway: {port: 19000, bind: 'lan'}, tools: {allow: ['read', 'exec']}})
    expect((await runCli(['config', 'get', 'gateway.bind'], {env: t.env})).stdout).toBe('lan\n')
    expect((await runCli(['config', 'get', 'tools.allow'], {env: t.env})).stdout).toBe('[\n  "read",\n  "exec"\n]\n')
    expect((await runCli(['config', 'get', 'tools.allow[1]'], {env: t.env})).stdout).toBe('exec\n')
  })

  it('redacts secrets unless --show-secrets, and shows ${VAR} references as written', async () => {
    writeConfig({gateway: {auth: {token: 'literal-secret'}}, channels: {telegram: {botToken: '${TG_TOKEN}'}}})
    const env = {...t.env, TG_TOKEN: '123:abc'}
    expect((await runCli(['config', 'get', 'gateway.auth.token'], {env})).stdout).toBe('__OPENCLAW_REDACTED__\n')
    expect((await runCli(['config', 'get', 'gateway.auth'], {env})).stdout).not.toContain('literal-secret')
    expect((await runCli(['config', 'get', 'gateway.auth.token', '--show-secrets'], {env})).stdout).toBe('literal-secret\n')
    expect((await runCli(['config', 'get', 'channels.telegram.botToken'], {env})).stdout).toBe('${TG_TOKEN}\n')
    expect((await runCli(['config', 'get', 'channels.telegram.botToken', '--show-secrets'], {env})).stdout).toBe('123:abc\n')
  })

  it('--authored shows the value before substitution and defaults', async () => {
    writeConfig({gateway: {mode: 'local'}, agents: {defaults: {workspace: '${WS}/w'}}})
    const env = {...t.env, WS: '/srv'}
    expect((await runCli(['config', 'get', 'agents.defaults.workspace'], {env})).stdout).toBe('/srv/w\n')
    const authored = await runCli(['config', 'get', 'agents.defaults.workspace', '--authored', '--json'], {env})
    expect(authored.json).toEqual({ok: true, result: {path: 'agents.defaults.workspace', value: '${WS}/w', source: 'authored', isDefault: false}, warnings: []})
    const unset = await runCli(['config', 'get', 'gateway.port', '--authored'], {env})
    expect(unset.code).toBe(1)
    expect(unset.stderr).toContain('Config path not found: gateway.port')
  })

  it('falls back to the authored tree, with a warning, when the config is invalid', async () => {
    writeConfig({gateway: {port: 19000, prot: 1}})
    const r = await runCli(['config', 'get', 'gateway.port'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('19000\n')
    expect(r.stderr).toContain('Config is invalid (1 issue); see: openclaw config validate')
    const j = await runCli(['config', 'get', 'gateway.bind', '--json'], {env: t.env})
    expect(j.json).toMatchObject({ok: true, result: {path: 'gateway.bind', value: 'loopback', source: 'authored', isDefault: true}})
    expect(j.json.warnings).toContain('Config is invalid (1 issue); see: openclaw config validate')
  })

  it('config validate accepts a valid file', async () => {
    const file = writeConfig('// comments are fine\n{gateway: {port: 19000}}')
    expect(await runCli(['config', 'validate'], {env: t.env})).toMatchObject({code: 0, stdout: `Config OK: ${file}\n`, stderr: ''})
  })

  it('config file warns about an invalid config but still prints the path', async () => {
    const file = writeConfig('{gateway: {port: "x"}}')
    const r = await runCli(['config', 'file'], {env: t.env})
    expect(r).toMatchObject({code: 0, stdout: `${file}\n`})
    expect(r.stderr).toContain('Config is invalid (1 issue); see: openclaw config validate')
  })
})
