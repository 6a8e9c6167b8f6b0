// Issue 9 acceptance: rules every command follows, checked with the real binary for whatever the
// command tree (src/commands.ts) holds, so a command added later is covered without a new test.
import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {COMMANDS} from '../../src/commands.js'
import {binPath, makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

type AnyCommand = {flags?: Record<string, {char?: string; hidden?: boolean}>; supportsJson?: boolean; args?: Record<string, unknown>}
const commands = Object.entries(COMMANDS as unknown as Record<string, AnyCommand>).map(([id, command]) => ({words: id.split(':'), command}))

let t: TempHome
beforeAll(() => {
  t = makeTempHome()
})
afterAll(() => t.cleanup())

/** `a` with its last letter doubled (`config` → `configg`): a typo one edit away. */
function typo(word: string): string {
  return word + word[word.length - 1]
}

/** Spawns with stdout closed before the first write, as `| head -1` has closed it by the second line. */
function exitWithClosedStdout(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], {env: t.env, stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.destroy()
    child.on('close', resolve)
  })
}

describe('the rules every command follows', () => {
  it('-h, --help, before and after the command words, print the same help', async () => {
    const forms = [['config', 'get', '-h'], ['config', 'get', '--help'], ['-h', 'config', 'get'], ['--help', 'config', 'get'], ['help', 'config', 'get']]
    const runs = await Promise.all(forms.map((args) => runCli(args, {env: t.env})))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1)
  })

  it.each(commands)('openclaw $words: help, did-you-mean for flags and words, one --json envelope, closed pipe exits 0', async ({words, command}) => {
    const shown = words.join(' ')
    for (const flag of Object.values(command.flags ?? {})) expect(['h', 'v'], 'no command claims -h or -v (global help and version)').not.toContain(flag.char)
    const own = Object.keys(command.flags ?? {}).filter((name) => name !== 'json' && name.length >= 4 && command.flags?.[name]?.hidden !== true)
    const flag = own[0] ?? 'profile'
    const json = command.supportsJson !== false
    const [after, before, badFlag, badWord, closedPipe] = await Promise.all([
      runCli([...words, '-h'], {env: t.env}),
      runCli(['--help', ...words], {env: t.env}),
      runCli([...words, `--${typo(flag)}`, ...(json ? ['--json'] : [])], {env: t.env}),
      runCli(words.map((w, i) => (i === words.length - 1 ? typo(w) : w)), {env: t.env}),
      exitWithClosedStdout([...words, '--help']),
    ])
    for (const r of [after, before]) {
      expect(r.code, r.stderr).toBe(0)
      // `openclaw help --help` is the top-level help (as `git help --help` is git's manual).
      expect(r.stdout).toContain(shown === 'help' ? 'GLOBAL FLAGS' : `$ openclaw ${shown}`)
      expect(r.stderr).toBe('')
    }
    expect(after.stdout).toBe(before.stdout)
    expect(badFlag.code).toBe(2)
    if (json) {
      expect(badFlag.stdout.trim().split('\n')).toHaveLength(1)
      expect(badFlag.json).toMatchObject({ok: false, error: {code: 'USAGE', exitCode: 2}})
      expect(badFlag.json.error.message).toContain(`Did you mean --${flag}?`)
    } else {
      expect(badFlag.stderr).toContain(`Did you mean --${flag}?`)
      expect(badFlag.stdout).toBe('')
    }
    expect(badWord.code).toBe(2)
    expect(badWord.stderr).toContain(`Did you mean openclaw ${shown}?`)
    expect(closedPipe).toBe(0)
  })
})
