// Issue 9: the CLI behaves like a well-made Unix tool (real binary, fresh HOME).
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {LEVEL_SETTINGS} from '../../src/runtime/logging/levels.js'
import {binPath, makeTempHome, repoRoot, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

describe('help and version flags (item 1)', () => {
  it.each([[['-h']], [['--help']], [['help']], [[]]])('openclaw %j prints the top-level help with the global flags', async (args) => {
    const r = await runCli(args, {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('TOPICS')
    expect(r.stdout).toMatch(/GLOBAL FLAGS[\s\S]*-v, --version[\s\S]*--profile <value>/)
  })

  it.each([[['status', '-v']], [['config', 'get', 'x', '--version']], [['-v']]])('openclaw %j prints the version', async (args) => {
    const r = await runCli(args, {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^openclaw\/\d+\.\d+\.\d+ /)
  })
})

describe('closed pipes (item 3)', () => {
  it.each(['config schema', '--help', 'config get gateway'])('`set -o pipefail; openclaw %s | head -1` exits 0', (command) => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${binPath}" ${command} | head -1 >/dev/null`], {env: t.env, encoding: 'utf8'})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})

describe('hints keep the profile (item 4)', () => {
  it('an invalid config under --profile work points at that profile', async () => {
    mkdirSync(path.join(t.home, '.openclaw-work'), {recursive: true})
    writeFileSync(path.join(t.home, '.openclaw-work', 'openclaw.json'), '{gateway: {port: "x"}}')
    const r = await runCli(['status', '--profile', 'work'], {env: t.env})
    expect(r.stdout).toContain('see: openclaw --profile work config validate')
    const get = await runCli(['--profile', 'work', 'config', 'get', 'gateway.prot'], {env: t.env})
    expect(get.stderr).toContain('openclaw --profile work config get gateway.port')
  })

  it('a mistyped command under --dev keeps --dev in the corrected line', async () => {
    const r = await runCli(['--dev', 'stauts'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('  * openclaw --dev status\n')
  })

  it('an unreachable --url target is not told to start a gateway here', async () => {
    const r = await runCli(['health', '--url', 'ws://192.0.2.1:9', '--token', 't', '--timeout', '300', '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json.error.hint.join('\n')).not.toContain('openclaw gateway run')
    expect(r.json.error.hint.join('\n')).toContain('openclaw gateway probe --url ws://192.0.2.1:9')
  })
})

describe('rough edges (item 12)', () => {
  it('--log-level is validated the same for every command, against the logger levels', async () => {
    const r = await runCli(['--log-level', 'loud', 'config', 'get', 'gateway.port', '--json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.json.error.message).toBe(`--log-level must be one of ${LEVEL_SETTINGS.join('|')}, got "loud"`)
    expect(r.json.error.hint).toEqual(['openclaw --log-level info config get gateway.port --json'])
  })

  it('--dev config get gateway.port prints 19001 without warning about a variable the user never set', async () => {
    const r = await runCli(['--dev', 'config', 'get', 'gateway.port'], {env: t.env})
    expect(r).toMatchObject({code: 0, stdout: '19001\n', stderr: ''})
    const own = await runCli(['config', 'get', 'gateway.port'], {env: {...t.env, OPENCLAW_GATEWAY_PORT: '19555'}})
    expect(own.stderr).toContain('OPENCLAW_GATEWAY_PORT=19555 overrides gateway.port')
  })

  it('parser errors are one line in the house format, with the usage', async () => {
    const r = await runCli(['gateway', 'call', 'health', '--timeout', 'abc'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^Error \(USAGE\): --timeout: expected an integer but received: abc \(openclaw gateway call\)\nTry this:\n {2}\* See the usage: openclaw gateway call <method> \[flags\]/)
    expect(r.stderr).not.toContain('Parsing')
  })

  it('--debug stack traces point at the TypeScript sources, not the bundle', async () => {
    const r = await runCli(['--debug', 'config', 'get', 'no.such.key'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/at .*src\/runtime\/config\/edit\/config-get\.ts:\d+:\d+/)
  })
})

describe('script compatibility with OpenClaw (item 14)', () => {
  it("docs/migrating-from-openclaw.md's jq filter turns our envelope into OpenClaw's bare value", async () => {
    const doc = readFileSync(path.join(repoRoot, 'docs', 'migrating-from-openclaw.md'), 'utf8')
    const filter = /openclaw config get gateway\.port --json \| jq '(\.[\w.]+)'/.exec(doc)?.[1]
    expect(filter).toBeDefined()
    const r = await runCli(['config', 'get', 'gateway.port', '--json'], {env: t.env})
    // The filter is a plain path (.a.b): walk it as jq would.
    const value = filter!.split('.').filter(Boolean).reduce((v: Record<string, unknown>, key) => v[key] as Record<string, unknown>, r.json)
    expect(value).toBe(18789)
  })
})
