import {existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'
import {writeLegacyFixture} from '../helpers/legacy-fixture.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8)
const byId = (report: {checks: Array<{id: string}>}, id: string) => report.checks.find((c) => c.id === id) as {status: string; message: string; fix?: {command?: string}} | undefined

describe('doctor on the legacy layout', () => {
  it('diagnoses without writing a byte, exits 3 on the missing token', async () => {
    writeLegacyFixture(t.home)
    const before = snapshotDir(t.home)
    const r = await runCli(['doctor', '--json'], {env: t.env})
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('CHECKS_FAILED')
    const report = r.json.result
    expect(byId(report, 'paths.legacy-state')?.status).toBe('warn')
    expect(byId(report, 'config.legacy-keys')?.message).toContain('agent.model -> agents.defaults.model')
    expect(byId(report, 'gateway.auth')?.status).toBe('fail')
    expect(report.backupDir).toBeNull()
    expect(snapshotDir(t.home)).toEqual(before)
  })

  it('--fix --non-interactive migrates everything, keeps every setting, backs up, and a second run changes nothing', async () => {
    writeLegacyFixture(t.home)
    const r = await runCli(['doctor', '--fix', '--non-interactive', '--json'], {env: t.env})
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const state = path.join(t.home, '.openclaw')
    expect(lstatSync(path.join(t.home, '.clawdbot')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(path.join(t.home, '.clawdbot'))).toBe(state)

    const config = JSON.parse(readFileSync(path.join(state, 'openclaw.json'), 'utf8'))
    expect(config.agents.defaults.model).toEqual({primary: 'anthropic/claude-sonnet-4-5', fallbacks: ['openai/gpt-4o-mini']})
    expect(config.agents.defaults.timeoutSeconds).toBe(300)
    expect(config.agents.list).toEqual([
      {id: 'main', name: 'Main', default: true, identity: {name: 'Clawd', emoji: '🦞'}},
      {id: 'work', name: 'Work'},
    ])
    expect(config.bindings).toEqual([{agentId: 'work', match: {channel: 'telegram', peer: {kind: 'group', id: '-100123'}, accountId: 'default'}}])
    expect(config.messages.groupChat.historyLimit).toBe(40)
    expect(config.channels.telegram.groups['*'].requireMention).toBe(true)
    expect(config.gateway.mode).toBe('local')
    expect(config.gateway.auth.token).toMatch(/^[0-9a-f]{64}$/)
    expect(config.agent).toBeUndefined()
    expect(config.routing).toBeUndefined()
    expect(mode(path.join(state, 'openclaw.json'))).toBe('600')
    expect(mode(state)).toBe('700')

    const sessionsDir = path.join(state, 'agents', 'main', 'sessions')
    const index = JSON.parse(readFileSync(path.join(sessionsDir, 'sessions.json'), 'utf8'))
    expect(Object.keys(index).sort()).toEqual(['agent:main:main', 'agent:main:telegram:group:-100123', 'group:-100999'])
    expect(readdirSync(sessionsDir).sort()).toEqual(['s1.jsonl', 's2.jsonl', 's3.jsonl', 'sessions.json'])
    expect(mode(sessionsDir)).toBe('700')
    expect(mode(path.join(sessionsDir, 's1.jsonl'))).toBe('600')
    expect(existsSync(path.join(state, 'sessions'))).toBe(false)
    expect(existsSync(path.join(state, 'agents', 'main', 'agent', 'auth-profiles.json'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(state, 'credentials', 'telegram-default-allowFrom.json'), 'utf8')).allowFrom).toEqual(['111', '222'])
    expect(existsSync(path.join(state, 'credentials', 'telegram-allowFrom.json.migrated'))).toBe(true)
    expect(existsSync(path.join(state, 'locks', 'state.lock'))).toBe(false)

    const backupDir = r.json.result.backupDir as string
    expect(path.dirname(backupDir)).toBe(path.join(state, 'backups'))
    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'))
    const original = manifest.actions.find((a: {check: string}) => a.check === 'config.legacy-keys')
    expect(original).toMatchObject({mode: '0644', path: path.join(state, 'openclaw.json')})
    expect(readFileSync(path.join(backupDir, 'openclaw.json'), 'utf8')).toContain("agent: {")
    expect(existsSync(path.join(backupDir, 'sessions', 'sessions.json'))).toBe(true)
    expect(existsSync(path.join(backupDir, 'locks', 'state.lock'))).toBe(true)

    const validate = await runCli(['config', 'validate', '--json'], {env: t.env})
    expect(validate.json.result.valid).toBe(true)

    const before = snapshotDir(t.home)
    const again = await runCli(['doctor', '--fix', '--non-interactive', '--json'], {env: t.env})
    expect(again.code).toBe(0)
    expect(again.json.result.backupDir).toBeNull()
    expect(again.json.result.summary.fixed).toBe(0)
    expect(snapshotDir(t.home)).toEqual(before)
  })
})

describe('doctor on a broken config', () => {
  beforeEach(() => mkdirSync(t.stateDir, {recursive: true, mode: 0o700}))
  const write = (name: string, text: string) => writeFileSync(path.join(t.stateDir, name), text, {mode: 0o600})

  it('runs every other check, names the line and offers the .bak; --fix --restore-last-good restores it and keeps the broken file', async () => {
    write('openclaw.json.bak', JSON.stringify({gateway: {mode: 'local', auth: {token: 'x'.repeat(32)}}}))
    write('openclaw.json', '{\n  gateway: {\n    port: 18789,,\n  },\n}\n')
    const before = snapshotDir(t.home)
    const r = await runCli(['doctor', '--json'], {env: t.env})
    expect(r.code).toBe(3)
    const parse = byId(r.json.result, 'config.parse')
    expect(parse?.status).toBe('fail')
    expect(parse?.message).toMatch(/openclaw\.json:3:\d+: invalid character ','/)
    expect(parse?.message).toContain('openclaw.json.bak parses and is valid')
    expect(parse?.fix?.command).toBe('openclaw doctor --fix --restore-last-good')
    expect(byId(r.json.result, 'config.schema')?.message).toBe('skipped: config could not be parsed')
    expect(byId(r.json.result, 'runtime.node')?.status).toBe('pass')
    expect(byId(r.json.result, 'state.permissions')?.status).toBe('pass')
    expect(r.json.result.checks.length).toBeGreaterThan(20)
    expect(snapshotDir(t.home)).toEqual(before)

    const fixOnly = await runCli(['doctor', '--fix', '--json'], {env: t.env})
    expect(byId(fixOnly.json.result, 'config.parse')?.status).toBe('fail')

    const fix = await runCli(['doctor', '--fix', '--restore-last-good', '--json'], {env: t.env})
    expect(fix.code).toBe(0)
    const names = readdirSync(t.stateDir)
    expect(names.find((n) => /^openclaw\.json\.broken-\d{8}T\d{6}Z$/.test(n))).toBeDefined()
    expect(JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8')).gateway.mode).toBe('local')
  })

  it('--lint with --fix is a usage error; --lint writes nothing and skips the network checks', async () => {
    const bad = await runCli(['doctor', '--lint', '--fix'], {env: t.env})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--lint is read-only and cannot be combined with --fix')
    const lint = await runCli(['doctor', '--lint', '--json'], {env: t.env})
    expect(lint.json.result.mode).toBe('lint')
    expect(byId(lint.json.result, 'gateway.reachability')).toBeUndefined()
  })
})
