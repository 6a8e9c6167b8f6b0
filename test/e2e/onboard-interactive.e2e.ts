import {spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, type TempHome} from '../helpers/cli.js'

/** util-linux `script` gives the wizard a real pseudo-terminal; without it this test cannot run. */
const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0
if (!hasScript) console.warn('onboard-interactive: skipped, `script` (util-linux) is not installed, so no pty is available')

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

/** Answers each prompt (matched on the pty output) with keystrokes, in order; resolves with the exit code. */
function drive(steps: Array<[string, string]>, env: NodeJS.ProcessEnv): Promise<{code: number | null; output: string}> {
  return new Promise((resolve, reject) => {
    const command = `${process.execPath} ${binPath} onboard; echo "EXIT=$?"`
    const child = spawn('script', ['-qfec', command, '/dev/null'], {env: {...env, TERM: 'xterm-256color'}, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    let next = 0
    let seenUpTo = 0
    const timer = setTimeout(() => child.kill('SIGKILL'), 18_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      while (next < steps.length) {
        const at = output.indexOf(steps[next][0], seenUpTo)
        if (at === -1) break
        seenUpTo = at + steps[next][0].length
        child.stdin.write(steps[next][1])
        next++
      }
      if (next === steps.length && /EXIT=\d+/.test(output)) child.stdin.end()
    })
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const exit = /EXIT=(\d+)/.exec(output)
      resolve({code: exit === null ? null : Number(exit[1]), output})
    })
  })
}

describe.skipIf(!hasScript)('onboard in a real terminal', () => {
  it('completes the QuickStart path with arrow keys and typed answers', async () => {
    const down = '\u001b[B'
    const r = await drive(
      [
        ['Continue?', 'y\r'],
        ['Setup flow:', '\r'],
        ['Where will the gateway run?', '\r'],
        ['Model provider:', `${down}\r`],
        ['openai API key:', 'sk-pty-test\r'],
        ['Default model:', '\r'],
        ['Connect a Telegram bot now?', 'n\r'],
        ['Install the gateway as a service', 'n\r'],
      ],
      t.env,
    )
    expect(r.output).toContain('Config written: ~/.openclaw/openclaw.json (quickstart, local)')
    expect(r.code).toBe(0)
    const config = JSON.parse(readFileSync(path.join(t.stateDir, 'openclaw.json'), 'utf8'))
    expect(config.agents.defaults.model).toEqual({primary: 'openai/gpt-4o-mini'})
    expect(config.wizard.lastRunFlow).toBe('quickstart')
    const profiles = JSON.parse(readFileSync(path.join(t.stateDir, 'agents', 'main', 'agent', 'auth-profiles.json'), 'utf8'))
    expect(profiles.profiles['openai:default'].key).toBe('sk-pty-test')
  })
})
