import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, type TempHome} from '../helpers/cli.js'

/** util-linux `script` gives doctor a real pseudo-terminal; without it this test cannot run. */
const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0
if (!hasScript) console.warn('doctor-interactive: skipped, `script` (util-linux) is not installed, so no pty is available')

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  // One lossy finding (an unknown key); the token is long enough that nothing else asks.
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify({gateway: {mode: 'local', auth: {token: 'x'.repeat(32)}, bogus: 1}}), {mode: 0o600})
})
afterEach(() => t.cleanup())

/** Runs `openclaw doctor <args>` in a pty, answering `answer` once `prompt` shows; resolves with the exit code and output. */
function drive(args: string, prompt: string | null, answer: string): Promise<{code: number | null; output: string}> {
  return new Promise((resolve, reject) => {
    const command = `${process.execPath} ${binPath} doctor ${args}; echo "EXIT=$?"`
    const child = spawn('script', ['-qfec', command, '/dev/null'], {env: {...t.env, TERM: 'xterm-256color'}, cwd: t.home, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    let answered = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (!answered && prompt !== null && output.includes(prompt)) {
        answered = true
        child.stdin.write(answer)
      }
      if (/EXIT=\d+/.test(output)) child.stdin.end()
    })
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const exit = /EXIT=(\d+)/.exec(output)
      resolve({code: exit === null ? null : Number(exit[1]), output})
    })
  })
}

const config = () => JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8')) as {gateway: Record<string, unknown>}
const PROMPT = 'Apply this fix: remove gateway.bogus (backup kept)?'

describe.skipIf(!hasScript)('doctor --fix in a real terminal asks before each lossy fix (operations.md §5.1)', () => {
  it('yes: applies that fix, with a backup', async () => {
    const r = await drive('--fix', PROMPT, 'y\r')
    expect(r.output).toContain('Config schema: 1 issue: gateway.bogus: unknown key [in ~/.openclaw/openclaw.json:')
    expect(r.output).toContain('fixed: removed gateway.bogus')
    expect(r.output).toContain('Backup of everything changed: ~/.openclaw/backups/doctor-')
    expect(r.code).toBe(0)
    expect(config().gateway).not.toHaveProperty('bogus')
  }, 30_000)

  it('no (the default): leaves the key, the check fails with the --yes hint, exit 3', async () => {
    const r = await drive('--fix', PROMPT, '\r')
    expect(r.output).toContain(PROMPT)
    expect(r.output).toContain('openclaw doctor --fix --yes')
    expect(r.code).toBe(3)
    expect(config().gateway.bogus).toBe(1)
  }, 30_000)

  it('--non-interactive never asks, even on a terminal', async () => {
    const r = await drive('--fix --non-interactive', null, '')
    expect(r.output).not.toContain('Apply this fix')
    expect(r.code).toBe(3)
    expect(config().gateway.bogus).toBe(1)
  }, 30_000)
})
