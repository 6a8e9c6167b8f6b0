// Issue 9 acceptance: rules every command follows, checked with the real binary for whatever the
// command tree (src/commands.ts) holds, so a command added later is covered without a new test.
// The parser checks (help forms, did-you-mean, --json envelopes: four per command) run in batches
// inside harness processes (test/helpers/cli-batch.ts: the real bin/run.js and bundle, a fresh
// instance per run); a sample of commands runs them again as processes of their own and must give
// the same output, and the closed-pipe rule, which is about the process, spawns for every command.
import {spawn} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {COMMANDS} from '../../src/commands.js'
import {runCliBatch} from '../helpers/cli-batch.js'
import {binPath, makeTempHome, runCli, type CliResult, type TempHome} from '../helpers/cli.js'

type AnyCommand = {flags?: Record<string, {char?: string; hidden?: boolean}>; supportsJson?: boolean; args?: Record<string, unknown>}
const commands = Object.entries(COMMANDS as unknown as Record<string, AnyCommand>).map(([id, command]) => ({id, words: id.split(':'), command}))
// Spawned as real processes too, to hold the in-process harness to the real binary's output.
const SAMPLE = new Set(['config:get', 'gateway:run', 'status', 'help'])
const HELP_FORMS = [['config', 'get', '-h'], ['config', 'get', '--help'], ['-h', 'config', 'get'], ['--help', 'config', 'get'], ['help', 'config', 'get']]

/** `a` with its last letter doubled (`config` → `configg`): a typo one edit away. */
function typo(word: string): string {
  return word + word[word.length - 1]
}

/** The flag a command's typo check mistypes: its first own, visible, long enough flag, else --profile. */
function flagToMistype(command: AnyCommand): string {
  const own = Object.keys(command.flags ?? {}).filter((name) => name !== 'json' && name.length >= 4 && command.flags?.[name]?.hidden !== true)
  return own[0] ?? 'profile'
}

/** The four parser checks of one command, as argv lists: -h after, --help before, a mistyped flag, a mistyped word. */
function checksOf({words, command}: (typeof commands)[number]): string[][] {
  const json = command.supportsJson !== false
  return [
    [...words, '-h'],
    ['--help', ...words],
    [...words, `--${typo(flagToMistype(command))}`, ...(json ? ['--json'] : [])],
    words.map((w, i) => (i === words.length - 1 ? typo(w) : w)),
  ]
}

/** Spawns with stdout closed before the first write, as `| head -1` has closed it by the second line. */
function exitWithClosedStdout(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], {env: t.env, stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.destroy()
    child.on('close', resolve)
  })
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

let t: TempHome
let helpForms: CliResult[]
const checks = new Map<string, CliResult[]>()
const closedPipe = new Map<string, number | null>()
beforeAll(async () => {
  t = makeTempHome()
  const argvs = [...HELP_FORMS, ...commands.flatMap(checksOf)]
  const [results, pipes] = await Promise.all([
    runCliBatch(argvs, {env: t.env}),
    pool(commands, 2, ({words}) => exitWithClosedStdout([...words, '--help'])),
  ])
  helpForms = results.slice(0, HELP_FORMS.length)
  commands.forEach(({id}, i) => {
    checks.set(id, results.slice(HELP_FORMS.length + i * 4, HELP_FORMS.length + i * 4 + 4))
    closedPipe.set(id, pipes[i])
  })
}, 300_000)
afterAll(() => t.cleanup())

describe('the rules every command follows', () => {
  it('-h, --help, before and after the command words, print the same help', () => {
    for (const r of helpForms) expect(r.code, r.stderr).toBe(0)
    expect(new Set(helpForms.map((r) => r.stdout)).size).toBe(1)
  })

  it.each(commands)('openclaw $words: help, did-you-mean for flags and words, one --json envelope, closed pipe exits 0', ({id, words, command}) => {
    const shown = words.join(' ')
    for (const flag of Object.values(command.flags ?? {})) expect(['h', 'v'], 'no command claims -h or -v (global help and version)').not.toContain(flag.char)
    const flag = flagToMistype(command)
    const json = command.supportsJson !== false
    const [after, before, badFlag, badWord] = checks.get(id)!
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
    expect(closedPipe.get(id)).toBe(0)
  })

  it.each(commands.filter(({id}) => SAMPLE.has(id)))('openclaw $words: the real binary, a process per check, gives exactly what the in-process runs gave', async (entry) => {
    const spawned = await Promise.all(checksOf(entry).map((args) => runCli(args, {env: t.env})))
    const strip = ({code, stdout, stderr}: CliResult) => ({code, stdout, stderr})
    expect(spawned.map(strip)).toEqual(checks.get(entry.id)!.map(strip))
  })

  it('the sample is in the command tree (a renamed command would silently shrink it)', () => {
    expect(commands.filter(({id}) => SAMPLE.has(id))).toHaveLength(SAMPLE.size)
  })
})
