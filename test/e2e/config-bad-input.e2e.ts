import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {snapshotDir} from '../helpers/dir-snapshot.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
})
afterEach(() => {
  chmodSync(t.stateDir, 0o700)
  t.cleanup()
})

const write = (name: string, text: string) => writeFileSync(path.join(t.stateDir, name), text, {mode: 0o600})
const config = (value: unknown) => write('openclaw.json', typeof value === 'string' ? value : JSON.stringify(value))

/** Each case sets up a broken config and names what the error must say. */
const cases: Array<[string, () => void, RegExp | string]> = [
  ['malformed JSON5', () => config('{\n  gateway: {port: 1,,}\n}'), /~\/\.openclaw\/openclaw\.json:2:\d+: invalid character ','/],
  ['an unknown key', () => config({gateway: {prot: 1}}), /gateway\.prot: unknown key \(did you mean "port"\?\)/],
  ['a wrong type', () => config({gateway: {port: 'abc'}}), 'gateway.port: expected'],
  ['a missing ${VAR}', () => config({channels: {telegram: {botToken: '${TG_TOKEN}'}}}), 'channels.telegram.botToken: environment variable TG_TOKEN is not set (referenced as ${TG_TOKEN})'],
  [
    'an $include cycle',
    () => {
      config({agents: {$include: './a.json5'}})
      write('a.json5', '{$include: "./b.json5"}')
      write('b.json5', '{$include: "./a.json5"}')
    },
    'circular include: openclaw.json -> a.json5 -> b.json5 -> a.json5',
  ],
  [
    'an include escaping the config dir',
    () => {
      writeFileSync(path.join(t.home, 'outside.json5'), '{}')
      config({gateway: {$include: '../outside.json5'}})
    },
    `../outside.json5 resolves outside ${'/'}`,
  ],
  [
    'includes nested 11 deep',
    () => {
      config({agents: {$include: './i1.json5'}})
      for (let i = 1; i <= 11; i++) write(`i${i}.json5`, i === 11 ? '{}' : `{$include: "./i${i + 1}.json5"}`)
    },
    'includes nested deeper than 10 levels: openclaw.json -> i1.json5 -> ... ->',
  ],
  [
    'an included 3 MB file',
    () => {
      config({agents: {$include: './big.json5'}})
      write('big.json5', `{"pad": "${'x'.repeat(3 * 1024 * 1024)}"}`)
    },
    /\.\/big\.json5 is 3(\.\d)? MB; included files are limited to 2 MB/,
  ],
  [
    'an included directory',
    () => {
      config({agents: {$include: './dir.json5'}})
      mkdirSync(path.join(t.stateDir, 'dir.json5'))
    },
    './dir.json5 is not a regular file (it is a directory)',
  ],
  [
    'an included FIFO',
    () => {
      config({agents: {$include: './pipe.json5'}})
      expect(spawnSync('mkfifo', [path.join(t.stateDir, 'pipe.json5')]).status).toBe(0)
    },
    './pipe.json5 is not a regular file (it is a FIFO)',
  ],
  ['a directory as the config file', () => mkdirSync(path.join(t.stateDir, 'openclaw.json')), 'openclaw.json is not a regular file (it is a directory)'],
]

if (process.getuid?.() !== 0) {
  cases.push([
    'an unreadable config file',
    () => {
      config({})
      chmodSync(path.join(t.stateDir, 'openclaw.json'), 0o000)
    },
    'cannot read ~/.openclaw/openclaw.json: permission denied',
  ])
}

describe('bad config input: precise error, non-zero exit, no stack trace, files untouched', () => {
  it.each(cases)('%s', async (_name, setup, expected) => {
    setup()
    const before = snapshotDir(t.home)
    const r = await runCli(['config', 'validate'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    if (typeof expected === 'string') expect(r.stderr).toContain(expected)
    else expect(r.stderr).toMatch(expected)
    expect(r.stderr).toMatch(/^Error \(CONFIG_[A-Z_]+\): Config ~\/\.openclaw\/openclaw\.json is invalid \(\d+ issues?\):\n {2}- /)
    expect(r.stderr).toContain('Try this:\n  * See every issue: openclaw config validate')
    expect(r.stderr).not.toMatch(/\n\s+at /)

    const j = await runCli(['config', 'validate', '--json'], {env: t.env})
    expect(j.code).toBe(1)
    expect(j.json).toMatchObject({ok: false, error: {exitCode: 1, details: {issues: expect.any(Array)}}, result: {valid: false, exists: true}})

    // Reading commands never write; an edit of a file that does not parse is refused.
    await runCli(['config', 'get', 'gateway.port'], {env: t.env})
    await runCli(['config', 'set', 'gateway.bind', 'sideways'], {env: t.env})
    expect(snapshotDir(t.home)).toEqual(before)
  })
})

describe('issue locations (issue 9 item 8)', () => {
  it('names the file, line and column holding each offending key, a key beside $include included', async () => {
    write('openclaw.json', '{\n  gateway: {\n    $include: "./gateway.json5",\n    bogus: 1,\n  },\n}\n')
    write('gateway.json5', '// gateway settings\n{\n  port: "abc",\n}\n')
    const r = await runCli(['config', 'validate'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('  - gateway.bogus: unknown key [in ~/.openclaw/openclaw.json:4:5]')
    expect(r.stderr).toContain('  - gateway.port: expected an integer from 1 to 65535, received "abc" [in ~/.openclaw/gateway.json5:3:3]')

    const j = await runCli(['config', 'validate', '--json'], {env: t.env})
    const issues = (j.json as {result: {issues: unknown[]}}).result.issues
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({path: 'gateway.bogus', file: path.join(t.stateDir, 'openclaw.json'), line: 4, column: 5}),
      expect.objectContaining({path: 'gateway.port', file: path.join(t.stateDir, 'gateway.json5'), line: 3, column: 3}),
    ]))

    // The gateway's refusal to start says the same (exit 78, config error).
    const g = await runCli(['gateway', 'run'], {env: t.env})
    expect(g.code).toBe(78)
    expect(g.stderr).toContain('gateway.bogus: unknown key [in ~/.openclaw/openclaw.json:4:5]')
  })
})
