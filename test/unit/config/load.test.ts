import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {formatMegabytes} from '../../../src/runtime/config/json5-file.js'
import {loadConfig, type LoadConfigOptions} from '../../../src/runtime/config/load.js'
import {resolvePaths} from '../../../src/runtime/paths.js'

let home: string
let stateDir: string
let configPath: string
beforeEach(() => {
  home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'openclaw-load-')))
  stateDir = path.join(home, '.openclaw')
  configPath = path.join(stateDir, 'openclaw.json')
  mkdirSync(stateDir)
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

function write(name: string, content: string | Buffer): string {
  const file = path.join(stateDir, name)
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, content)
  return file
}

function load(env: NodeJS.ProcessEnv = {}, extra: Partial<LoadConfigOptions> = {}) {
  const paths = resolvePaths({env: {HOME: home}, cwd: home})
  return loadConfig({paths, env, ...extra})
}

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen)
}

describe('loadConfig: the top file', () => {
  it('treats a missing file as defaults', () => {
    const loaded = load()
    expect(loaded).toMatchObject({configPath, exists: false, text: null, hash: null, topTree: null, authored: {}, files: [configPath], issues: [], legacyKeys: [], envFromConfig: []})
    expect(loaded.config).not.toBeNull()
    expect(isDeepFrozen(loaded.config)).toBe(true)
  })

  it('reads JSON5 with a BOM, hashes the bytes and freezes the effective tree', () => {
    const bytes = Buffer.from('\uFEFF// comment\n{gateway: {port: 19000, bind: "lan",},}\n')
    write('openclaw.json', bytes)
    const loaded = load()
    expect(loaded.exists).toBe(true)
    expect(loaded.text).toBe('// comment\n{gateway: {port: 19000, bind: "lan",},}\n')
    expect(loaded.hash).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(loaded.topTree).toEqual({gateway: {port: 19000, bind: 'lan'}})
    expect(loaded.issues).toEqual([])
    expect(loaded.config).toMatchObject({gateway: {port: 19000, bind: 'lan'}})
    expect(isDeepFrozen(loaded.config)).toBe(true)
    expect(Object.isFrozen(loaded.topTree)).toBe(false)
  })

  it('treats an empty file as an empty object', () => {
    write('openclaw.json', '  \n')
    expect(load()).toMatchObject({exists: true, text: '  \n', topTree: {}, issues: []})
  })

  it.each([
    {name: 'syntax error', setup: () => write('openclaw.json', '{\n  gateway: {port: 1}\n  x: 2,\n}'), message: "~/.openclaw/openclaw.json:3:3: invalid character 'x'", text: true},
    {name: 'unterminated', setup: () => write('openclaw.json', '{gateway: '), message: '~/.openclaw/openclaw.json:1:11: invalid end of input', text: true},
    {name: 'array root', setup: () => write('openclaw.json', '[1]'), message: '~/.openclaw/openclaw.json: the config root must be an object, found an array', text: true},
    {name: 'string root', setup: () => write('openclaw.json', '"x"'), message: '~/.openclaw/openclaw.json: the config root must be an object, found a string', text: true},
    {name: 'over 2 MB', setup: () => write('openclaw.json', '{}' + ' '.repeat(Math.floor(3.1 * 1024 * 1024))), message: '~/.openclaw/openclaw.json is 3.1 MB; config files are limited to 2 MB', text: false},
    {name: 'a directory', setup: () => mkdirSync(configPath), message: '~/.openclaw/openclaw.json is not a regular file (it is a directory)', text: false},
    {name: 'a FIFO', setup: () => execFileSync('mkfifo', [configPath]), message: '~/.openclaw/openclaw.json is not a regular file (it is a FIFO)', text: false},
  ])('reports a top file that is $name as one CONFIG_PARSE issue', ({setup, message, text}) => {
    setup()
    const loaded = load()
    expect(loaded.issues).toEqual([{path: '', message, code: 'CONFIG_PARSE'}])
    expect(loaded.config).toBeNull()
    expect(loaded.exists).toBe(true)
    expect(loaded.text !== null).toBe(text)
  })
})

describe('loadConfig: includes, env and substitution', () => {
  it('keeps $include sites in topTree and records origins and files', () => {
    write('openclaw.json', '{gateway: {$include: "./gateway.json5", bind: "lan"}}')
    const gw = write('gateway.json5', '{port: 19001, bind: "loopback"}')
    const loaded = load()
    expect(loaded.issues).toEqual([])
    expect(loaded.topTree).toEqual({gateway: {$include: './gateway.json5', bind: 'lan'}})
    expect(loaded.authored).toEqual({gateway: {port: 19001, bind: 'lan'}})
    expect(loaded.origins.get('gateway.port')).toBe(gw)
    expect(loaded.origins.has('gateway.bind')).toBe(false)
    expect(loaded.files).toEqual([configPath, gw])
    expect(loaded.config).toMatchObject({gateway: {port: 19001, bind: 'lan'}})
  })

  it('applies env.vars before substitution, without overriding set variables', () => {
    write('openclaw.json', JSON.stringify({env: {vars: {GW_TOKEN: 'from-config', GW_PASS: 'cfg'}, SUGAR: '${NOT_EXPANDED}'}, gateway: {auth: {mode: 'token', token: '${GW_TOKEN}'}, remote: {token: '$${GW_TOKEN}'}}}))
    const env: NodeJS.ProcessEnv = {GW_PASS: 'proc'}
    const loaded = load(env)
    expect(loaded.issues).toEqual([])
    expect(env).toEqual({GW_PASS: 'proc', GW_TOKEN: 'from-config', SUGAR: '${NOT_EXPANDED}'})
    expect(loaded.envFromConfig).toEqual(['GW_TOKEN', 'SUGAR'])
    expect(loaded.authored).toMatchObject({gateway: {auth: {token: '${GW_TOKEN}'}}})
    expect(loaded.config).toMatchObject({gateway: {auth: {token: 'from-config'}, remote: {token: '${GW_TOKEN}'}}, env: {SUGAR: '${NOT_EXPANDED}'}})
  })

  it('collects every missing variable, naming included files', () => {
    write('openclaw.json', JSON.stringify({gateway: {auth: {token: '${GW_TOKEN}'}}, channels: {$include: './channels.json5'}}))
    const channels = write('channels.json5', '{telegram: {botToken: "${TG_TOKEN}", name: "${EMPTY}"}}')
    const loaded = load({EMPTY: ''})
    expect(loaded.config).toBeNull()
    expect(loaded.issues).toEqual(
      expect.arrayContaining([
        {path: 'gateway.auth.token', message: 'environment variable GW_TOKEN is not set (referenced as ${GW_TOKEN})', code: 'CONFIG_ENV_MISSING'},
        {path: 'channels.telegram.botToken', message: 'environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN})', file: channels, code: 'CONFIG_ENV_MISSING'},
        {path: 'channels.telegram.name', message: 'environment variable EMPTY is empty (referenced as ${EMPTY})', file: channels, code: 'CONFIG_ENV_MISSING'},
      ]),
    )
    expect(loaded.issues.filter((i) => i.code !== 'CONFIG_ENV_MISSING').every((i) => !['gateway.auth.token', 'channels.telegram.botToken', 'channels.telegram.name'].includes(i.path))).toBe(true)
  })

  it('reports include errors and missing variables together, and keeps watching the failed file', () => {
    write('openclaw.json', JSON.stringify({gateway: {$include: './gw.json5', auth: {token: '${NOPE}'}}}))
    const loaded = load()
    expect(loaded.issues).toEqual([
      {path: 'gateway.$include', message: `file not found: ./gw.json5 (resolved to ${stateDir}/gw.json5)`, code: 'CONFIG_INCLUDE'},
      {path: 'gateway.auth.token', message: 'environment variable NOPE is not set (referenced as ${NOPE})', code: 'CONFIG_ENV_MISSING'},
    ])
    expect(loaded.files).toEqual([configPath, path.join(stateDir, 'gw.json5')])
    expect(loaded.config).toBeNull()
  })

  it('rejects a top-level include that is not an object', () => {
    write('openclaw.json', '{$include: "./list.json5"}')
    write('list.json5', '[1, 2]')
    expect(load().issues).toEqual([{path: '', message: 'the config root must be an object, found an array (via $include)', code: 'CONFIG_INCLUDE'}])
  })

  it('does not run the login shell when the caller opts out', () => {
    write('openclaw.json', JSON.stringify({env: {shellEnv: {enabled: true, timeoutMs: 1000}}}))
    const env: NodeJS.ProcessEnv = {SHELL: path.join(home, 'missing-shell')}
    expect(load(env, {shellEnv: false}).warnings).toEqual([])
    expect(load(env).warnings).toEqual([`Could not load the login shell environment (${path.join(home, 'missing-shell')} not found); continuing without it`])
  })

  it('updates config-origin variables on reload', () => {
    write('openclaw.json', JSON.stringify({env: {vars: {A: '1', B: '1'}}}))
    const env: NodeJS.ProcessEnv = {}
    const first = load(env)
    write('openclaw.json', JSON.stringify({env: {vars: {A: '2'}}}))
    const second = load(env, {previousEnvFromConfig: first.envFromConfig})
    expect(second.envFromConfig).toEqual(['A'])
    expect(env).toEqual({A: '2'})
  })
})

describe('loadConfig: legacy keys and schema issues', () => {
  afterEach(() => {
    vi.doUnmock('../../../src/runtime/config/schema/legacy.js')
    vi.doUnmock('../../../src/runtime/config/schema/validate.js')
    vi.resetModules()
  })

  it('migrates legacy keys in memory with one warning and leaves topTree as authored', async () => {
    vi.resetModules()
    vi.doMock('../../../src/runtime/config/schema/legacy.js', () => ({
      migrateLegacyKeys: (tree: Record<string, unknown>) => {
        const routing = tree.routing as {bindings: unknown}
        delete tree.routing
        tree.bindings = routing.bindings
        return {tree, legacyKeys: ['routing.bindings', 'agent.model']}
      },
    }))
    const {loadConfig: freshLoad} = await import('../../../src/runtime/config/load.js')
    write('openclaw.json', JSON.stringify({routing: {bindings: []}}))
    const loaded = freshLoad({paths: resolvePaths({env: {HOME: home}, cwd: home}), env: {}})
    expect(loaded.legacyKeys).toEqual(['routing.bindings', 'agent.model'])
    expect(loaded.warnings).toEqual(['Config uses legacy keys (routing.bindings, agent.model); rename them by hand (see: openclaw config validate)'])
    expect(loaded.topTree).toEqual({routing: {bindings: []}})
    expect(loaded.authored).toEqual({bindings: []})
  })

  it('adds the included file to schema issues and drops schema noise at unresolved references', async () => {
    vi.resetModules()
    vi.doMock('../../../src/runtime/config/schema/validate.js', () => ({
      validateConfigTree: () => ({
        config: null,
        issues: [
          {path: 'gateway.port', message: 'expected an integer from 1 to 65535, received "abc"', code: 'CONFIG_INVALID'},
          {path: 'gateway.auth.token', message: 'noise', code: 'CONFIG_INVALID'},
          {path: 'session.scope', message: 'bad', code: 'CONFIG_INVALID'},
        ],
      }),
    }))
    const {loadConfig: freshLoad} = await import('../../../src/runtime/config/load.js')
    write('openclaw.json', JSON.stringify({gateway: {$include: './gw.json5'}, session: {scope: 'x'}}))
    const gw = write('gw.json5', JSON.stringify({port: 'abc', auth: {token: '${NOPE}'}}))
    const loaded = freshLoad({paths: resolvePaths({env: {HOME: home}, cwd: home}), env: {}})
    expect(loaded.config).toBeNull()
    expect(loaded.issues).toEqual([
      {path: 'gateway.auth.token', message: 'environment variable NOPE is not set (referenced as ${NOPE})', file: gw, code: 'CONFIG_ENV_MISSING'},
      {path: 'gateway.port', message: 'expected an integer from 1 to 65535, received "abc"', file: gw, code: 'CONFIG_INVALID'},
      {path: 'session.scope', message: 'bad', code: 'CONFIG_INVALID'},
    ])
  })
})

describe('formatMegabytes', () => {
  const MiB = 1024 * 1024
  it.each([
    [3.1 * MiB, undefined, '3.1 MB'],
    [3 * MiB, undefined, '3 MB'],
    [2 * MiB, undefined, '2 MB'],
    [2 * MiB + 10, 2 * MiB, '2.1 MB'],
    [Math.floor(3.1 * MiB) + 2, 2 * MiB, '3.1 MB'],
    [0.04 * MiB, undefined, '0 MB'],
  ])('%d bytes (limit %s) -> %s', (bytes, limit, expected) => {
    expect(formatMegabytes(bytes, limit)).toBe(expected)
  })
})

describe('loadConfig: speed', () => {
  it('loads a small config without includes in well under a millisecond or so', () => {
    write('openclaw.json', '{gateway: {port: 1234}}')
    const started = performance.now()
    for (let i = 0; i < 200; i++) load()
    // Catches accidental per-load work (schema rebuilds, sync I/O storms), not micro-regressions: the
    // bound leaves room for a CI machine under load.
    expect((performance.now() - started) / 200).toBeLessThan(20)
  })
})
