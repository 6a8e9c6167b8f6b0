import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'

let t: TempHome
let configPath: string
beforeEach(() => {
  t = makeTempHome()
  configPath = path.join(t.stateDir, 'openclaw.json')
})
afterEach(() => t.cleanup())

function writeFile(name: string, value: unknown): void {
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  writeFileSync(path.join(t.stateDir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2), {mode: 0o600})
}

const readConfig = () => JSON.parse(readFileSync(configPath, 'utf8'))

describe('openclaw config set', () => {
  it('writes a value that config get then prints; 0600 file in a 0700 dir; .bak after the second write', async () => {
    const set = await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    expect(set).toMatchObject({code: 0, stdout: 'Updated gateway.port.\n'})
    expect((await runCli(['config', 'get', 'gateway.port'], {env: t.env})).stdout).toBe('19000\n')
    expect(statSync(configPath).mode & 0o777).toBe(0o600)
    expect(statSync(t.stateDir).mode & 0o777).toBe(0o700)
    expect(existsSync(`${configPath}.bak`)).toBe(false)
    expect(readConfig()).toMatchObject({gateway: {port: 19000}, meta: {lastTouchedVersion: expect.any(String), lastTouchedAt: expect.any(String)}})
    expect(readFileSync(configPath, 'utf8').endsWith('}\n')).toBe(true)

    const first = readFileSync(configPath)
    const second = await runCli(['config', 'set', 'gateway.bind', 'lan', '--json'], {env: t.env})
    expect(second.json).toEqual({
      ok: true,
      result: {path: 'gateway.bind', changed: true, reload: 'restart', backup: `${configPath}.bak`, configPath, dryRun: false},
      warnings: [],
    })
    expect(readFileSync(`${configPath}.bak`)).toEqual(first)
    expect(statSync(`${configPath}.bak`).mode & 0o777).toBe(0o600)
  })

  it('prints No change for the same value and leaves bytes and mtime alone', async () => {
    await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    const before = snapshotDir(t.home)
    const again = await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    expect(again).toMatchObject({code: 0, stdout: 'No change\n'})
    const json = await runCli(['config', 'set', 'gateway.port', '19000', '--json'], {env: t.env})
    expect(json.json).toMatchObject({ok: true, result: {changed: false, backup: null}})
    expect(snapshotDir(t.home)).toEqual(before)
  })

  it.each([
    ['a number', 'gateway.port', '19000', 19000],
    ['a boolean', 'gateway.controlUi.enabled', 'false', false],
    ['raw text for a string slot', 'gateway.auth.token', '0123', '0123'],
    ['"true" kept as a string for a token', 'gateway.auth.token', 'true', 'true'],
    ['a JSON5 object', 'session.reset', '{mode: "idle", idleMinutes: 30}', {mode: 'idle', idleMinutes: 30}],
    ['a ${VAR} reference kept as written', 'channels.telegram.botToken', '${TG_TOKEN}', '${TG_TOKEN}'],
  ])('parses %s', async (_name, p, value, expected) => {
    const r = await runCli(['config', 'set', p, value], {env: {...t.env, TG_TOKEN: '1:x'}})
    expect(r.code).toBe(0)
    const segments = p.split('.')
    expect(segments.reduce((node, key) => node[key], readConfig())).toEqual(expected)
  })

  it('appends at [length] and refuses an index past it', async () => {
    expect((await runCli(['config', 'set', 'tools.allow[0]', 'read'], {env: t.env})).code).toBe(0)
    expect((await runCli(['config', 'set', 'tools.allow[1]', 'exec'], {env: t.env})).code).toBe(0)
    expect(readConfig().tools.allow).toEqual(['read', 'exec'])
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'set', 'tools.allow[5]', 'x'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot set tools.allow[5]: tools.allow has 2 entries; use [2] to append')
    expect(snapshotDir(t.home)).toEqual(before)
  })

  it('refuses a value that would make the config invalid, file untouched', async () => {
    await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'set', 'gateway.port', 'abc'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (CONFIG_EDIT_REFUSED): config set refused: the result would add 1 issue (nothing was written):')
    expect(r.stderr).toMatch(/ {2}- gateway\.port: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(snapshotDir(t.home)).toEqual(before)
  })

  it('refuses an unknown path with a did-you-mean', async () => {
    const r = await runCli(['config', 'set', 'gateway.prot', '1', '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {code: 'CONFIG_PATH_NOT_FOUND', message: 'Config path not found: gateway.prot (did you mean gateway.port?)'}})
    expect(existsSync(configPath)).toBe(false)
  })

  it('--strict-json refuses text that is not JSON5 (exit 2)', async () => {
    const r = await runCli(['config', 'set', 'gateway.bind', 'lan', '--strict-json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Error (CONFIG_VALUE_INVALID): --strict-json')
    expect((await runCli(['config', 'set', 'gateway.bind', '"lan"', '--strict-json'], {env: t.env})).code).toBe(0)
  })

  it('needs --merge or --replace to drop keys of an existing object', async () => {
    writeFile('openclaw.json', {models: {providers: {ollama: {baseUrl: 'http://127.0.0.1:11434/v1'}}}})
    const before = snapshotDir(t.home)
    const value = '{openai: {baseUrl: "https://api.openai.com/v1"}}'
    const r = await runCli(['config', 'set', 'models.providers', value], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('config set would remove models.providers.ollama; pass --merge to keep existing keys or --replace to drop them')
    expect(snapshotDir(t.home)).toEqual(before)
    expect((await runCli(['config', 'set', 'models.providers', value, '--merge'], {env: t.env})).code).toBe(0)
    expect(Object.keys(readConfig().models.providers)).toEqual(['ollama', 'openai'])
    expect((await runCli(['config', 'set', 'models.providers', value, '--replace'], {env: t.env})).code).toBe(0)
    expect(Object.keys(readConfig().models.providers)).toEqual(['openai'])
  })

  it('--dry-run reports the change and writes nothing', async () => {
    const r = await runCli(['config', 'set', 'gateway.port', '19000', '--dry-run', '--json'], {env: t.env})
    expect(r.json).toMatchObject({ok: true, result: {changed: true, dryRun: true, backup: null, reload: 'restart'}})
    expect(existsSync(configPath)).toBe(false)
  })

  it('refuses under OPENCLAW_CONFIG_READONLY=1', async () => {
    const r = await runCli(['config', 'set', 'gateway.port', '19000'], {env: {...t.env, OPENCLAW_CONFIG_READONLY: '1'}})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (CONFIG_READONLY): config is read-only (OPENCLAW_CONFIG_READONLY=1)')
    expect(existsSync(configPath)).toBe(false)
  })

  it('writes JSON over a JSON5 file with a warning, keeping ${VAR} references and key order', async () => {
    writeFile('openclaw.json', "// mine\n{logging: {level: 'info'}, channels: {telegram: {botToken: '${TG_TOKEN}'}},}\n")
    const r = await runCli(['config', 'set', 'gateway.port', '19000'], {env: {...t.env, TG_TOKEN: '1:x'}})
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('used JSON5 features (comments, trailing commas, unquoted keys); they are not kept when openclaw writes the file. Your hand-written version is kept in ~/.openclaw/openclaw.json.hand.bak (until you edit the file by hand again)')
    const written = readConfig()
    expect(Object.keys(written)).toEqual(['logging', 'channels', 'gateway', 'meta'])
    expect(written.channels.telegram.botToken).toBe('${TG_TOKEN}')
  })

  it('allows step-by-step repair of an invalid file but refuses edits that add issues', async () => {
    writeFile('openclaw.json', {gateway: {port: 'abc', prot: 1}})
    const fix = await runCli(['config', 'unset', 'gateway.prot'], {env: t.env})
    expect(fix.code).toBe(0)
    expect(fix.stderr).toContain('Config is invalid (1 issue); see: openclaw config validate')
    const before = snapshotDir(t.home)
    const worse = await runCli(['config', 'set', 'gateway.bind', 'sideways'], {env: t.env})
    expect(worse.code).toBe(1)
    expect(worse.stderr).toContain('  - gateway.bind: ')
    expect(snapshotDir(t.home)).toEqual(before)
    const ok = await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    expect(ok).toMatchObject({code: 0, stdout: 'Updated gateway.port.\n', stderr: ''})
  })

  it('a new reference to an unset variable is only a warning', async () => {
    const r = await runCli(['config', 'set', 'channels.telegram.botToken', '${TG_TOKEN}'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('channels.telegram.botToken: environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN})')
  })
})

describe('reload hints and legacy sections', () => {
  it.each([
    ['agents.defaults.timeoutSeconds', '100', {}, 'The running gateway applies this without a restart.'],
    ['gateway.port', '19000', {}, 'The running gateway applies this by restarting itself in process (gateway.reload.mode=hybrid).'],
    ['gateway.port', '19000', {gateway: {reload: {mode: 'hot'}}}, `The running gateway only hot-reloads (gateway.reload.mode=hot); restart it in process to apply: openclaw gateway restart`],
    ['logging.level', 'debug', {gateway: {reload: {mode: 'off'}}}, `The running gateway doesn't watch the config (gateway.reload.mode=off); apply by restarting it in process: openclaw gateway restart`],
    ['channels.telegram.botToken', '${UNSET_TOKEN_VAR}', {}, 'The running gateway will skip this change: the config does not load (see the warnings above); it keeps its current config until that is fixed.'],
    ['meta.lastTouchedVersion', 'x', {}, null],
  ])('set %s with a live gateway lock prints the right hint', async (p, value, initial, hint) => {
    writeFile('openclaw.json', initial)
    mkdirSync(path.join(t.stateDir, 'locks'), {recursive: true})
    // This test process stands in for a running gateway: its PID is alive on this host.
    writeFile('locks/gateway.lock', {pid: process.pid, hostname: os.hostname(), port: 18789, startedAt: new Date().toISOString()})
    const r = await runCli(['config', 'set', p, value], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(hint === null ? `Updated ${p}.\n` : `Updated ${p}.\n${hint}\n`)
  })

  it('prints no hint without a running gateway', async () => {
    expect((await runCli(['config', 'set', 'agents.defaults.timeoutSeconds', '100'], {env: t.env})).stdout).toBe('Updated agents.defaults.timeoutSeconds.\n')
  })

  it('refuses an edit inside a section that still holds legacy keys', async () => {
    writeFile('openclaw.json', {agents: {entries: {main: {model: 'openai/gpt-4o'}}}})
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'set', 'agents.defaults.timeoutSeconds', '100'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (CONFIG_EDIT_REFUSED): agents uses legacy keys (agents.entries); rename them by hand first (docs/errors.md, CONFIG_EDIT_REFUSED lists the current keys)')
    expect(snapshotDir(t.home)).toEqual(before)
    expect((await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})).code).toBe(0)
  })
})

describe('openclaw config set/unset with $include', () => {
  beforeEach(() => {
    writeFile('gateway.json5', '{port: 19000, bind: "loopback"}')
    writeFile('openclaw.json', {gateway: {$include: './gateway.json5'}})
  })

  it('writes an included value as a sibling key, never touching the included file', async () => {
    const before = readFileSync(path.join(t.stateDir, 'gateway.json5'), 'utf8')
    expect((await runCli(['config', 'set', 'gateway.port', '19500'], {env: t.env})).code).toBe(0)
    expect(readConfig().gateway).toEqual({$include: './gateway.json5', port: 19500})
    expect(readFileSync(path.join(t.stateDir, 'gateway.json5'), 'utf8')).toBe(before)
    expect((await runCli(['config', 'get', 'gateway.port'], {env: t.env})).stdout).toBe('19500\n')
  })

  it('refuses to unset an included value', async () => {
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'unset', 'gateway.port'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (CONFIG_EDIT_REFUSED): gateway.port comes from ./gateway.json5 (via $include); edit that file instead')
    expect(snapshotDir(t.home)).toEqual(before)
  })
})

describe('openclaw config unset', () => {
  it('removes a key, and exits 1 for an absent path unless --if-exists', async () => {
    await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})
    expect((await runCli(['config', 'unset', 'gateway.port'], {env: t.env})).stdout).toBe('Updated gateway.port.\n')
    expect(readConfig().gateway).toEqual({})
    const before = snapshotDir(t.home)
    const absent = await runCli(['config', 'unset', 'gateway.port'], {env: t.env})
    expect(absent.code).toBe(1)
    expect(absent.stderr).toContain('Error (CONFIG_PATH_NOT_FOUND): Config path not found: gateway.port')
    expect(snapshotDir(t.home)).toEqual(before)
    const tolerant = await runCli(['config', 'unset', 'gateway.port', '--if-exists'], {env: t.env})
    expect(tolerant).toMatchObject({code: 0, stdout: 'No change\n'})
    expect(snapshotDir(t.home)).toEqual(before)
  })

  it('exits 1 without creating anything when there is no config file', async () => {
    const r = await runCli(['config', 'unset', 'gateway.port', '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {code: 'CONFIG_PATH_NOT_FOUND'}})
    expect(existsSync(t.stateDir)).toBe(false)
  })
})

describe('openclaw config patch', () => {
  it('merges a patch from stdin and lists the changed paths', async () => {
    writeFile('openclaw.json', {tools: {allow: ['read', 'exec']}, logging: {level: 'info'}})
    const r = await runCli(['config', 'patch', '--stdin', '--json'], {env: t.env, input: '{gateway: {port: 19000}, logging: {level: null}}'})
    expect(r.json).toMatchObject({ok: true, result: {changedPaths: ['gateway.port', 'logging.level'], changed: true, reload: 'restart', dryRun: false}})
    expect(readConfig()).toMatchObject({tools: {allow: ['read', 'exec']}, logging: {}, gateway: {port: 19000}})
  })

  it('refuses to drop array entries unless --replace-path names the array', async () => {
    writeFile('openclaw.json', {tools: {allow: ['read', 'exec']}})
    writeFile('patch.json5', '{tools: {allow: ["read"]}}')
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'patch', '--file', path.join(t.stateDir, 'patch.json5')], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('config patch would remove entries from tools.allow; pass --replace-path tools.allow to replace it')
    expect(snapshotDir(t.home)).toEqual(before)
    const ok = await runCli(['config', 'patch', '--file', path.join(t.stateDir, 'patch.json5'), '--replace-path', 'tools.allow'], {env: t.env})
    expect(ok).toMatchObject({code: 0, stdout: 'Updated tools.allow[1].\n'})
    expect(readConfig().tools.allow).toEqual(['read'])
  })

  it('rejects a patch that is not a JSON5 object (exit 2)', async () => {
    const r = await runCli(['config', 'patch', '--stdin'], {env: t.env, input: '[1, 2]'})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the patch must be a JSON5 object, found an array')
  })
})
