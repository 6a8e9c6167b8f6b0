import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {expandHome, resolvePaths, resolveStatePath, tildify, type PathInputs} from '../../src/runtime/paths.js'

let home: string
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-paths-'))
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

interface Case {
  name: string
  /** Directories (relative to home) to create first; a name ending in `.json` is created as a file. */
  create?: string[]
  /** Env on top of {HOME: home}; `<home>` in values is replaced. */
  env?: Record<string, string>
  flags?: Pick<PathInputs, 'profileFlag' | 'dev'>
  /** Expected values, relative to the temp home. */
  home?: string
  stateDir: string
  configPath: string
  profile?: string | null
  profileSource?: 'flag' | 'env' | null
  legacyStateDir?: string | null
  notices?: string[]
}

const cases: Case[] = [
  {name: 'fresh home', stateDir: '.openclaw', configPath: '.openclaw/openclaw.json', profile: null, profileSource: null, legacyStateDir: null, notices: []},
  {name: 'OPENCLAW_STATE_DIR', env: {OPENCLAW_STATE_DIR: '<home>/custom'}, stateDir: 'custom', configPath: 'custom/openclaw.json'},
  {name: 'OPENCLAW_STATE_DIR with ~', env: {OPENCLAW_STATE_DIR: '~/tilde'}, stateDir: 'tilde', configPath: 'tilde/openclaw.json'},
  {name: 'OPENCLAW_STATE_DIR relative to cwd', env: {OPENCLAW_STATE_DIR: 'rel'}, stateDir: 'cwd/rel', configPath: 'cwd/rel/openclaw.json'},
  {name: 'OPENCLAW_CONFIG_PATH', env: {OPENCLAW_CONFIG_PATH: '~/elsewhere/my.json5'}, stateDir: '.openclaw', configPath: 'elsewhere/my.json5'},
  {name: 'OPENCLAW_HOME beats HOME', env: {OPENCLAW_HOME: '<home>/alt'}, home: 'alt', stateDir: 'alt/.openclaw', configPath: 'alt/.openclaw/openclaw.json'},
  {name: 'OPENCLAW_HOME with ~ expands against HOME', env: {OPENCLAW_HOME: '~/alt2'}, home: 'alt2', stateDir: 'alt2/.openclaw', configPath: 'alt2/.openclaw/openclaw.json'},
  {name: 'empty / "undefined" / "null" / blank count as unset', env: {OPENCLAW_HOME: '  ', OPENCLAW_STATE_DIR: 'undefined', OPENCLAW_CONFIG_PATH: 'null', OPENCLAW_PROFILE: ''}, stateDir: '.openclaw', configPath: '.openclaw/openclaw.json', profile: null},
  {name: 'OPENCLAW_PROFILE', env: {OPENCLAW_PROFILE: 'Work'}, stateDir: '.openclaw-work', configPath: '.openclaw-work/openclaw.json', profile: 'work', profileSource: 'env'},
  {name: 'OPENCLAW_PROFILE=default is no profile', env: {OPENCLAW_PROFILE: 'default'}, stateDir: '.openclaw', configPath: '.openclaw/openclaw.json', profile: null, profileSource: null},
  {name: 'OPENCLAW_STATE_DIR beats OPENCLAW_PROFILE', env: {OPENCLAW_PROFILE: 'work', OPENCLAW_STATE_DIR: '<home>/s'}, stateDir: 's', configPath: 's/openclaw.json', profile: 'work', notices: []},
  {name: '--profile flag', flags: {profileFlag: 'ops'}, stateDir: '.openclaw-ops', configPath: '.openclaw-ops/openclaw.json', profile: 'ops', profileSource: 'flag'},
  {name: '--profile beats OPENCLAW_PROFILE', env: {OPENCLAW_PROFILE: 'work'}, flags: {profileFlag: 'ops'}, stateDir: '.openclaw-ops', configPath: '.openclaw-ops/openclaw.json', profile: 'ops'},
  {
    name: '--profile overrides OPENCLAW_STATE_DIR with a notice',
    env: {OPENCLAW_STATE_DIR: '/somewhere'},
    flags: {profileFlag: 'ops'},
    stateDir: '.openclaw-ops',
    configPath: '.openclaw-ops/openclaw.json',
    notices: ['--profile ops overrides OPENCLAW_STATE_DIR=/somewhere'],
  },
  {name: '--profile matching OPENCLAW_STATE_DIR: no notice', env: {OPENCLAW_STATE_DIR: '<home>/.openclaw-ops'}, flags: {profileFlag: 'ops'}, stateDir: '.openclaw-ops', configPath: '.openclaw-ops/openclaw.json', notices: []},
  {
    name: '--profile overrides OPENCLAW_CONFIG_PATH with a notice',
    env: {OPENCLAW_CONFIG_PATH: '/etc/oc.json'},
    flags: {profileFlag: 'ops'},
    stateDir: '.openclaw-ops',
    configPath: '.openclaw-ops/openclaw.json',
    notices: ['--profile ops overrides OPENCLAW_CONFIG_PATH=/etc/oc.json'],
  },
  {name: '--profile default is no profile', flags: {profileFlag: 'default'}, env: {OPENCLAW_PROFILE: 'work'}, stateDir: '.openclaw', configPath: '.openclaw/openclaw.json', profile: null, profileSource: null},
  {name: '--dev', flags: {dev: true}, stateDir: '.openclaw-dev', configPath: '.openclaw-dev/openclaw.json', profile: 'dev', profileSource: 'flag'},
  {name: '--dev with --profile dev', flags: {dev: true, profileFlag: 'dev'}, stateDir: '.openclaw-dev', configPath: '.openclaw-dev/openclaw.json', profile: 'dev'},
  {name: 'legacy ~/.clawdbot read in place', create: ['.clawdbot', '.moltbot'], stateDir: '.clawdbot', configPath: '.clawdbot/openclaw.json', legacyStateDir: '.clawdbot', notices: ['Using legacy state dir ~/.clawdbot; move it by hand: mv ~/.clawdbot ~/.openclaw']},
  {name: 'legacy ~/.moldbot when it is the only one', create: ['.moldbot'], stateDir: '.moldbot', configPath: '.moldbot/openclaw.json', legacyStateDir: '.moldbot'},
  {name: 'legacy dir ignored when ~/.openclaw exists', create: ['.openclaw', '.clawdbot'], stateDir: '.openclaw', configPath: '.openclaw/openclaw.json', legacyStateDir: null, notices: []},
  {name: 'legacy dir ignored with a profile', create: ['.clawdbot'], env: {OPENCLAW_PROFILE: 'work'}, stateDir: '.openclaw-work', configPath: '.openclaw-work/openclaw.json', legacyStateDir: null},
  {name: 'legacy dir ignored with OPENCLAW_STATE_DIR', create: ['.clawdbot'], env: {OPENCLAW_STATE_DIR: '<home>/s'}, stateDir: 's', configPath: 's/openclaw.json', legacyStateDir: null},
  {name: 'legacy config name clawdbot.json', create: ['.openclaw/clawdbot.json'], stateDir: '.openclaw', configPath: '.openclaw/clawdbot.json'},
  {name: 'openclaw.json wins over legacy names', create: ['.openclaw/moltbot.json', '.openclaw/openclaw.json'], stateDir: '.openclaw', configPath: '.openclaw/openclaw.json'},
  {name: 'moltbot.json before moldbot.json', create: ['.openclaw/moldbot.json', '.openclaw/moltbot.json'], stateDir: '.openclaw', configPath: '.openclaw/moltbot.json'},
  {name: 'legacy dir with its legacy config', create: ['.clawdbot/clawdbot.json'], stateDir: '.clawdbot', configPath: '.clawdbot/clawdbot.json', legacyStateDir: '.clawdbot'},
]

describe('resolvePaths', () => {
  it.each(cases)('$name', (c) => {
    for (const entry of c.create ?? []) {
      const full = path.join(home, entry)
      if (entry.endsWith('.json')) {
        mkdirSync(path.dirname(full), {recursive: true})
        writeFileSync(full, '{}')
      } else {
        mkdirSync(full, {recursive: true})
      }
    }
    const env = Object.fromEntries(Object.entries({HOME: home, ...c.env}).map(([k, v]) => [k, v.replaceAll('<home>', home)]))
    const resolved = resolvePaths({env, cwd: path.join(home, 'cwd'), ...c.flags})
    expect(resolved.home).toBe(path.join(home, c.home ?? ''))
    expect(resolved.stateDir).toBe(path.join(home, c.stateDir))
    expect(resolved.configPath).toBe(path.join(home, c.configPath))
    if (c.profile !== undefined) expect(resolved.profile).toBe(c.profile)
    if (c.profileSource !== undefined) expect(resolved.profileSource).toBe(c.profileSource)
    if (c.legacyStateDir !== undefined) expect(resolved.legacyStateDir).toBe(c.legacyStateDir)
    if (c.notices !== undefined) expect(resolved.notices).toEqual(c.notices)
  })

  it.each([
    {name: '--dev with another --profile', flags: {dev: true, profileFlag: 'work'}, env: {}, code: 'USAGE', message: "--dev and --profile work can't be combined"},
    {name: 'invalid --profile', flags: {profileFlag: 'bad name'}, env: {}, code: 'PROFILE_INVALID', message: 'invalid profile name "bad name"'},
    {name: 'invalid OPENCLAW_PROFILE', flags: {}, env: {OPENCLAW_PROFILE: '-x'}, code: 'PROFILE_INVALID', message: 'invalid profile name "-x"'},
    {name: 'profile longer than 64 chars', flags: {profileFlag: 'a'.repeat(65)}, env: {}, code: 'PROFILE_INVALID', message: 'invalid profile name'},
  ])('rejects $name', ({flags, env, code, message}) => {
    expect(() => resolvePaths({env: {HOME: home, ...env}, cwd: home, ...flags})).toThrow(expect.objectContaining({code, message: expect.stringContaining(message)}))
  })

  it('reads OPENCLAW_INCLUDE_ROOTS and OPENCLAW_WORKSPACE_DIR', () => {
    const resolved = resolvePaths({env: {HOME: home, OPENCLAW_INCLUDE_ROOTS: `~/a${path.delimiter}${path.delimiter}/abs/b`, OPENCLAW_WORKSPACE_DIR: '~/ws'}, cwd: home})
    expect(resolved.includeRoots).toEqual([path.join(home, 'a'), '/abs/b'])
    expect(resolved.workspaceDir).toBe(path.join(home, 'ws'))
  })

  it('falls back to USERPROFILE, then os.homedir()', () => {
    expect(resolvePaths({env: {USERPROFILE: home}, cwd: home}).home).toBe(home)
    expect(resolvePaths({env: {}, cwd: home}).home).toBe(path.resolve(os.homedir()))
  })
})

describe('path helpers', () => {
  it.each([
    ['~', '/h'],
    ['~/x/y', '/h/x/y'],
    ['~user/x', '~user/x'],
    ['/abs', '/abs'],
    ['rel/~', 'rel/~'],
  ])('expandHome(%s)', (input, expected) => {
    expect(expandHome(input, '/h')).toBe(expected)
  })

  it.each([
    ['/h', '~'],
    ['/h/.openclaw/openclaw.json', '~/.openclaw/openclaw.json'],
    ['/hx/file', '/hx/file'],
  ])('tildify(%s)', (input, expected) => {
    expect(tildify(input, '/h')).toBe(expected)
  })

  it.each([
    ['workspace', '/h/.openclaw/workspace'],
    ['~/ws', '/h/ws'],
    ['/abs/ws', '/abs/ws'],
  ])('resolveStatePath(%s)', (input, expected) => {
    expect(resolveStatePath(input, {home: '/h', stateDir: '/h/.openclaw'})).toBe(expected)
  })
})
