import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {writeOwnedConfig, type OwnedWriteContext} from '../../../src/runtime/config/edit/owned-write.js'
import {setAtPath} from '../../../src/runtime/config/edit/tree-ops.js'

let root: string
let configPath: string
const fixedNow = () => new Date('2026-05-01T08:15:00.000Z')

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'owned-write-'))
  configPath = path.join(root, 'state', 'openclaw.json')
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

function ctx(extra: Partial<OwnedWriteContext> = {}): OwnedWriteContext {
  return {configPath, home: root, env: {}, version: '9.9.9', now: fixedNow, lockWaitMs: 300, ...extra}
}

const setPort = (port: number) => (current: {topTree: Record<string, unknown>}) => ({tree: setAtPath(current.topTree, ['gateway', 'port'], port) as Record<string, unknown>, info: null})

function writeConfig(text: string): void {
  mkdirSync(path.dirname(configPath), {recursive: true, mode: 0o700})
  writeFileSync(configPath, text, {mode: 0o600})
}

describe('writeOwnedConfig (config.md §10.3)', () => {
  it('creates a missing file (0600) in a new 0700 dir, stamps meta, writes 2-space JSON with a trailing newline', async () => {
    const result = await writeOwnedConfig(ctx(), setPort(19000))
    expect(result).toMatchObject({changed: true, backup: null, dryRun: false})
    expect(readFileSync(configPath, 'utf8')).toBe(
      JSON.stringify({gateway: {port: 19000}, meta: {lastTouchedVersion: '9.9.9', lastTouchedAt: '2026-05-01T08:15:00.000Z'}}, null, 2) + '\n',
    )
    expect(statSync(configPath).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(configPath)).mode & 0o777).toBe(0o700)
    expect(existsSync(`${configPath}.lock`)).toBe(false)
  })

  it('keeps existing key order, appends new keys, and keeps the previous version in .bak (0600)', async () => {
    const old = '{\n  "logging": {"level": "info"},\n  "gateway": {"bind": "lan"}\n}\n'
    writeConfig(old)
    chmodSync(configPath, 0o644)
    const result = await writeOwnedConfig(ctx(), setPort(1))
    expect(result.backup).toBe(`${configPath}.bak`)
    expect(readFileSync(`${configPath}.bak`, 'utf8')).toBe(old)
    expect(statSync(`${configPath}.bak`).mode & 0o777).toBe(0o600)
    const written = JSON.parse(readFileSync(configPath, 'utf8'))
    expect(Object.keys(written)).toEqual(['logging', 'gateway', 'meta'])
    expect(Object.keys(written.gateway)).toEqual(['bind', 'port'])
    expect(statSync(configPath).mode & 0o777).toBe(0o600)
  })

  it('leaves an unchanged file alone: same bytes, same mtime, no stamp, no .bak', async () => {
    writeConfig('{"gateway": {"port": 5}}')
    const before = statSync(configPath).mtimeMs
    const result = await writeOwnedConfig(ctx(), setPort(5))
    expect(result.changed).toBe(false)
    expect(readFileSync(configPath, 'utf8')).toBe('{"gateway": {"port": 5}}')
    expect(statSync(configPath).mtimeMs).toBe(before)
    expect(existsSync(`${configPath}.bak`)).toBe(false)
  })

  it('warns when the old file used JSON5 features', async () => {
    writeConfig('// mine\n{gateway: {port: 5,},}\n')
    const result = await writeOwnedConfig(ctx(), setPort(6))
    expect(result.warnings).toEqual([
      `~/state/openclaw.json used JSON5 features (comments, trailing commas, unquoted keys); they are not kept when openclaw writes the file. Your hand-written version is kept in ~/state/openclaw.json.hand.bak (until you edit the file by hand again)`,
    ])
  })

  it('writes nothing on a dry run', async () => {
    writeConfig('{}')
    const result = await writeOwnedConfig(ctx({dryRun: true}), setPort(6))
    expect(result).toMatchObject({changed: true, dryRun: true, backup: null})
    expect(result.after).toMatchObject({gateway: {port: 6}})
    expect(readFileSync(configPath, 'utf8')).toBe('{}')
  })

  it.each<[string, () => void, Partial<OwnedWriteContext>, object]>([
    ['read-only', () => writeConfig('{}'), {env: {OPENCLAW_CONFIG_READONLY: '1'}}, {code: 'CONFIG_READONLY', message: 'config is read-only (OPENCLAW_CONFIG_READONLY=1)'}],
    [
      'locked by a live process',
      () => {
        writeConfig('{}')
        writeFileSync(`${configPath}.lock`, JSON.stringify({pid: process.pid, hostname: os.hostname(), createdAt: new Date().toISOString()}))
      },
      {},
      {code: 'CONFIG_LOCKED', message: `config is locked by pid ${process.pid}; retry`},
    ],
    ['unparsable', () => writeConfig('{gateway: '), {}, {code: 'CONFIG_PARSE'}],
    ['a directory', () => mkdirSync(configPath, {recursive: true}), {}, {code: 'CONFIG_READ_FAILED'}],
  ])('refuses when %s, leaving the file untouched', async (_name, setup, extra, expected) => {
    setup()
    const before = lstatSync(configPath).isFile() ? readFileSync(configPath, 'utf8') : null
    await expect(writeOwnedConfig(ctx(extra), setPort(7))).rejects.toMatchObject(expected)
    if (before !== null) expect(readFileSync(configPath, 'utf8')).toBe(before)
    expect(existsSync(`${configPath}.bak`)).toBe(false)
  })

  it('takes over a stale lock (dead PID on this host)', async () => {
    writeConfig('{}')
    writeFileSync(`${configPath}.lock`, JSON.stringify({pid: 2 ** 30, hostname: os.hostname(), createdAt: new Date().toISOString()}))
    await expect(writeOwnedConfig(ctx(), setPort(8))).resolves.toMatchObject({changed: true})
    expect(existsSync(`${configPath}.lock`)).toBe(false)
  })

  it('fails when the file changes on disk during the edit', async () => {
    writeConfig('{}')
    const edit = (current: {topTree: Record<string, unknown>}) => {
      writeFileSync(configPath, '{"logging": {}}')
      return setPort(9)(current)
    }
    await expect(writeOwnedConfig(ctx(), edit)).rejects.toMatchObject({code: 'CONFIG_CHANGED', message: 'config changed on disk while writing; re-run the command'})
    expect(readFileSync(configPath, 'utf8')).toBe('{"logging": {}}')
    expect(existsSync(`${configPath}.lock`)).toBe(false)
  })

  it('replaces a symlinked config through the link, keeping the link', async () => {
    const target = path.join(root, 'real', 'openclaw.json')
    mkdirSync(path.dirname(target), {recursive: true})
    writeFileSync(target, '{}')
    mkdirSync(path.dirname(configPath), {recursive: true})
    symlinkSync(target, configPath)
    await writeOwnedConfig(ctx(), setPort(10))
    expect(lstatSync(configPath).isSymbolicLink()).toBe(true)
    expect(readlinkSync(configPath)).toBe(target)
    expect(JSON.parse(readFileSync(target, 'utf8')).gateway.port).toBe(10)
  })

  it('releases the lock when the edit throws', async () => {
    writeConfig('{}')
    await expect(
      writeOwnedConfig(ctx(), () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(`${configPath}.lock`)).toBe(false)
  })
})
