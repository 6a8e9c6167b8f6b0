import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

describe('openclaw CLI basics', () => {
  it('prints the version without loading the command tree', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runCli([flag], {env: t.env})
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^openclaw/\\d+\\.\\d+\\.\\d+ ${process.platform}-${process.arch} node-${process.version.replace(/\./g, '\\.')}\\n$`))
    }
  })

  it('rejects an unknown command with a usage error and exit 2', async () => {
    const r = await runCli(['nosuchcommand'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Error (USAGE)')
    expect(r.stderr).toContain('Try this:')
    expect(r.stdout).toBe('')
  })

  it('accepts global flags before or after the command words', async () => {
    const before = await runCli(['--profile', 'work', 'config', 'file'], {env: t.env})
    const after = await runCli(['config', 'file', '--profile', 'work'], {env: t.env})
    expect(before.code).toBe(0)
    expect(before.stdout.trim()).toBe(`${t.home}/.openclaw-work/openclaw.json`)
    expect(after.stdout).toBe(before.stdout)
  })

  it('refuses --dev combined with another --profile', async () => {
    const r = await runCli(['--dev', '--profile', 'work', 'config', 'file', '--json'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ok: false, error: {code: 'USAGE', message: "--dev and --profile work can't be combined", exitCode: 2}})
  })
})
