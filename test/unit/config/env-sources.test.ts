import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {applyConfigEnv, applyShellEnv, loadDotenvSources, parseDotenv} from '../../../src/runtime/config/env-sources.js'
import {createCliContext} from '../../../src/runtime/cli-context.js'

describe('parseDotenv', () => {
  it.each([
    {name: 'plain', text: 'A=1\nB=two words', vars: {A: '1', B: 'two words'}},
    {name: 'export prefix and spaces around =', text: 'export A = 1\n  export\tB=2', vars: {A: '1', B: '2'}},
    {name: 'comments and blank lines', text: '# c\n\n  # indented\nA=1 # trailing\nB=a#b', vars: {A: '1', B: 'a#b'}},
    {name: 'empty value', text: 'A=\nB= ', vars: {A: '', B: ''}},
    {name: 'double quotes with escapes', text: 'A="x\\ny\\t\\"q\\" \\\\ \\$"', vars: {A: 'x\ny\t"q" \\ \\$'}},
    {name: 'single quotes are literal', text: "A='x\\n ${B} # no comment'", vars: {A: 'x\\n ${B} # no comment'}},
    {name: 'backticks are literal', text: 'A=`it\'s "x"`', vars: {A: 'it\'s "x"'}},
    {name: 'no ${} expansion', text: 'A=1\nB=${A}', vars: {A: '1', B: '${A}'}},
    {name: 'quoted values span lines', text: 'A="line1\nline2"\nB=2', vars: {A: 'line1\nline2', B: '2'}},
    {name: 'comment after a quoted value', text: 'A="x" # note', vars: {A: 'x'}},
    {name: 'CRLF line endings', text: 'A=1\r\nB="2"\r\n', vars: {A: '1', B: '2'}},
    {name: 'BOM', text: '\uFEFFA=1', vars: {A: '1'}},
    {name: 'later duplicate wins', text: 'A=1\nA=2', vars: {A: '2'}},
    {name: 'equals sign in the value', text: 'URL=http://x/?a=b', vars: {URL: 'http://x/?a=b'}},
  ])('$name', ({text, vars}) => {
    const result = parseDotenv(text)
    expect(Object.fromEntries(result.vars)).toEqual(vars)
    expect(result.badLines).toEqual([])
  })

  it.each([
    {name: 'no equals sign', text: 'A=1\nJUSTAKEY\nB=2', vars: {A: '1', B: '2'}, badLines: [2]},
    {name: 'bad name', text: '1A=1\nA-B=2\nC=3', vars: {C: '3'}, badLines: [1, 2]},
    {name: 'unterminated quote', text: 'A="open\nB=2', vars: {B: '2'}, badLines: [1]},
    {name: 'garbage after a closing quote', text: 'A="x" y\nB=2', vars: {A: 'x', B: '2'}, badLines: [1]},
    {name: 'line numbers after a multi-line value', text: 'A="1\n2\n3"\n???\n', vars: {A: '1\n2\n3'}, badLines: [4]},
  ])('flags $name', ({text, vars, badLines}) => {
    const result = parseDotenv(text)
    expect(Object.fromEntries(result.vars)).toEqual(vars)
    expect(result.badLines).toEqual(badLines)
  })
})

let home: string
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-env-'))
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

describe('env precedence (config.md §3.1)', () => {
  interface Case {
    name: string
    processEnv?: Record<string, string>
    cwdDotenv?: string
    stateDotenv?: string
    configEnv?: unknown
    expected: Record<string, string | undefined>
    warnings?: string[]
  }
  const cases: Case[] = [
    {name: 'process beats ./.env', processEnv: {A: 'proc'}, cwdDotenv: 'A=cwd', expected: {A: 'proc'}},
    {name: 'set-but-empty counts as set', processEnv: {A: ''}, cwdDotenv: 'A=cwd', stateDotenv: 'A=state', configEnv: {vars: {A: 'cfg'}}, expected: {A: ''}},
    {name: './.env beats <state>/.env', cwdDotenv: 'A=cwd', stateDotenv: 'A=state\nB=state', expected: {A: 'cwd', B: 'state'}},
    {name: '<state>/.env beats env.vars', stateDotenv: 'A=state', configEnv: {vars: {A: 'cfg', C: 'cfg'}}, expected: {A: 'state', C: 'cfg'}},
    {name: 'env.vars beats env sugar keys', configEnv: {vars: {A: 'vars'}, A: 'sugar', B: 'sugar', shellEnv: {enabled: false}}, expected: {A: 'vars', B: 'sugar'}},
    {name: 'values are literal', cwdDotenv: 'A=${HOME}', configEnv: {vars: {B: '${HOME}'}}, expected: {A: '${HOME}', B: '${HOME}'}},
    {name: './.env may move the state dir', cwdDotenv: 'OPENCLAW_STATE_DIR=<home>/moved', stateDotenv: 'FROM_STATE=1', expected: {OPENCLAW_STATE_DIR: '<home>/moved', FROM_STATE: undefined, FROM_MOVED: 'yes'}},
    {
      name: '<state>/.env cannot set path variables',
      stateDotenv: 'OPENCLAW_HOME=/x\nOPENCLAW_PROFILE=p\nOK=1',
      expected: {OPENCLAW_HOME: undefined, OPENCLAW_PROFILE: undefined, OK: '1'},
      warnings: ['Ignored OPENCLAW_HOME from <state>/.env: path variables can be set only in the environment or ./.env', 'Ignored OPENCLAW_PROFILE from <state>/.env: path variables can be set only in the environment or ./.env'],
    },
    {
      name: 'env.vars cannot set path variables',
      configEnv: {vars: {OPENCLAW_STATE_DIR: '/x'}, OPENCLAW_CONFIG_PATH: '/y'},
      expected: {OPENCLAW_STATE_DIR: undefined, OPENCLAW_CONFIG_PATH: undefined},
      warnings: ['Ignored OPENCLAW_STATE_DIR from the config (env): path variables can be set only in the environment or ./.env', 'Ignored OPENCLAW_CONFIG_PATH from the config (env): path variables can be set only in the environment or ./.env'],
    },
    {
      name: 'CLAWDBOT_* / MOLTBOT_* are ignored with one warning',
      processEnv: {CLAWDBOT_STATE_DIR: '/old'},
      cwdDotenv: 'MOLTBOT_GATEWAY_TOKEN=t',
      expected: {OPENCLAW_STATE_DIR: undefined, MOLTBOT_GATEWAY_TOKEN: undefined},
      warnings: ['Ignored legacy environment variables CLAWDBOT_STATE_DIR (use OPENCLAW_STATE_DIR), MOLTBOT_GATEWAY_TOKEN (use OPENCLAW_GATEWAY_TOKEN)'],
    },
    {name: 'bad lines are warnings', cwdDotenv: 'A=1\nnonsense', expected: {A: '1'}, warnings: ['Ignored <cwd>/.env:2: not a KEY=VALUE line']},
  ]

  it.each(cases)('$name', (c) => {
    const cwd = path.join(home, 'cwd')
    const stateDir = path.join(home, '.openclaw')
    mkdirSync(cwd)
    mkdirSync(stateDir)
    mkdirSync(path.join(home, 'moved'))
    writeFileSync(path.join(home, 'moved', '.env'), 'FROM_MOVED=yes')
    const subst = (s: string) => s.replaceAll('<home>', home)
    if (c.cwdDotenv !== undefined) writeFileSync(path.join(cwd, '.env'), subst(c.cwdDotenv))
    if (c.stateDotenv !== undefined) writeFileSync(path.join(stateDir, '.env'), subst(c.stateDotenv))
    const env: NodeJS.ProcessEnv = {HOME: home, ...c.processEnv}
    const warnings: string[] = []
    warnings.push(...loadDotenvSources(env, {phase: 'cwd', cwd}).warnings)
    const resolvedState = env.OPENCLAW_STATE_DIR ?? stateDir
    warnings.push(...loadDotenvSources(env, {phase: 'state', stateDir: resolvedState, cwd}).warnings)
    warnings.push(...applyConfigEnv(env, c.configEnv).warnings)
    for (const [name, value] of Object.entries(c.expected)) expect(env[name], name).toBe(value === undefined ? undefined : subst(value))
    const shown = warnings.map((w) => w.replaceAll(path.join(stateDir, '.env'), '<state>/.env').replaceAll(cwd, '<cwd>'))
    expect(shown).toEqual(c.warnings ?? [])
  })
})

describe('loadDotenvSources', () => {
  it('skips <state>/.env when it is ./.env', () => {
    writeFileSync(path.join(home, '.env'), 'OPENCLAW_STATE_DIR=' + home)
    const env: NodeJS.ProcessEnv = {}
    expect(loadDotenvSources(env, {phase: 'cwd', cwd: home})).toEqual({applied: ['OPENCLAW_STATE_DIR'], warnings: []})
    expect(loadDotenvSources(env, {phase: 'state', stateDir: home, cwd: home})).toEqual({applied: [], warnings: []})
  })

  it.each([
    {name: 'over 1 MiB', setup: (f: string) => writeFileSync(f, 'A=' + 'x'.repeat(1024 * 1024)), warning: 'Ignored <f>: it is 1.1 MB; .env files are limited to 1 MB'},
    {name: 'a directory', setup: (f: string) => mkdirSync(f), warning: 'Ignored <f>: not a regular file'},
  ])('ignores a .env that is $name with a warning', ({setup, warning}) => {
    const file = path.join(home, '.env')
    setup(file)
    const env: NodeJS.ProcessEnv = {}
    const result = loadDotenvSources(env, {phase: 'state', stateDir: home})
    expect(result).toEqual({applied: [], warnings: [warning.replace('<f>', file)]})
  })

  it('is silent when there is no .env', () => {
    expect(loadDotenvSources({}, {phase: 'cwd', cwd: home})).toEqual({applied: [], warnings: []})
  })
})

describe('applyConfigEnv on reload', () => {
  it('updates and removes exactly the variables the config set', () => {
    const env: NodeJS.ProcessEnv = {KEEP: 'proc'}
    const first = applyConfigEnv(env, {vars: {A: '1', B: '1', KEEP: 'cfg'}})
    expect(first.applied).toEqual(['A', 'B'])
    const second = applyConfigEnv(env, {vars: {A: '2'}, C: '3'}, {previous: first.applied})
    expect(second.applied).toEqual(['A', 'C'])
    expect(env).toEqual({KEEP: 'proc', A: '2', C: '3'})
  })

  it('ignores non-string values and invalid names', () => {
    const env: NodeJS.ProcessEnv = {}
    applyConfigEnv(env, {vars: {A: 1, 'B-C': 'x', D: 'ok'}, shellEnv: {enabled: false}, E: true})
    expect(env).toEqual({D: 'ok'})
  })
})

describe('applyShellEnv', () => {
  it('does nothing unless enabled', () => {
    const env: NodeJS.ProcessEnv = {SHELL: '/bin/false'}
    expect(applyShellEnv(env, {shellEnv: {enabled: false}})).toEqual({applied: [], warnings: []})
  })

  it('takes variables the login shell adds and still unset', () => {
    // A POSIX login shell reads ~/.profile.
    writeFileSync(path.join(home, '.profile'), 'export FROM_SHELL=hello\nexport KEEP=shell\nexport OPENCLAW_PROFILE=nope\necho noise\n')
    const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, KEEP: 'proc', SHELL: '/bin/sh'}
    const result = applyShellEnv(env, {shellEnv: {enabled: true, timeoutMs: 5000}})
    expect(env.FROM_SHELL).toBe('hello')
    expect(env.KEEP).toBe('proc')
    expect(env.OPENCLAW_PROFILE).toBeUndefined()
    expect(result.applied).toContain('FROM_SHELL')
    expect(result.warnings).toEqual(['Ignored OPENCLAW_PROFILE from the login shell environment: path variables can be set only in the environment or ./.env'])
  })

  it('turns a failing shell into a warning (OPENCLAW_LOAD_SHELL_ENV=1)', () => {
    const env: NodeJS.ProcessEnv = {SHELL: path.join(home, 'no-such-shell'), OPENCLAW_LOAD_SHELL_ENV: '1'}
    const result = applyShellEnv(env, undefined)
    expect(result.applied).toEqual([])
    expect(result.warnings).toEqual([`Could not load the login shell environment (${path.join(home, 'no-such-shell')} not found); continuing without it`])
  })

  it('turns a timeout into a warning', () => {
    const shell = path.join(home, 'slow.sh')
    writeFileSync(shell, '#!/bin/sh\nsleep 5\n', {mode: 0o755})
    const started = Date.now()
    const result = applyShellEnv({SHELL: shell}, {shellEnv: {enabled: true, timeoutMs: 200}})
    expect(Date.now() - started).toBeLessThan(3000)
    expect(result.warnings).toEqual(['Could not load the login shell environment (timed out after 200 ms); continuing without it'])
  })
})

describe('createCliContext', () => {
  it('applies ./.env before resolving paths and <state>/.env after', () => {
    const cwd = process.cwd()
    const work = path.join(home, 'work')
    mkdirSync(work)
    mkdirSync(path.join(home, 'st'))
    writeFileSync(path.join(work, '.env'), `OPENCLAW_STATE_DIR=${home}/st\nA=cwd`)
    writeFileSync(path.join(home, 'st', '.env'), 'A=state\nB=state')
    process.chdir(work)
    try {
      const env: NodeJS.ProcessEnv = {HOME: home}
      const ctx = createCliContext(env)
      expect(ctx.paths.stateDir).toBe(path.join(home, 'st'))
      expect(env).toMatchObject({A: 'cwd', B: 'state'})
    } finally {
      process.chdir(cwd)
    }
  })
})
