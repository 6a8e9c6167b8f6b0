// `openclaw completion bash`, sourced in a real interactive bash on a pty (util-linux `script`):
// TAB completes command words and config paths. Each step waits for bash's output, never a sleep.
import {spawn, spawnSync, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

const hasTools = spawnSync('script', ['--version']).status === 0 && spawnSync('bash', ['--version']).status === 0
if (!hasTools) console.log('completion pty test skipped: util-linux `script` or bash is not installed')

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

/** An interactive bash on a pty; `until(re)` resolves with the first output match after the call. */
function interactiveBash(env: NodeJS.ProcessEnv): {child: ChildProcessWithoutNullStreams; type: (s: string) => void; until: (re: RegExp) => Promise<RegExpExecArray>} {
  // HISTFILE empty: a bash killed at the end saves no history into the temp home being removed.
  const child = spawn('script', ['-qfc', 'bash --norc --noprofile -i', '/dev/null'], {env: {...env, TERM: 'dumb', PS1: '$ ', HISTFILE: ''}, cwd: env.HOME})
  let output = ''
  let waiters: Array<() => void> = []
  child.stdout.on('data', (d) => {
    output += d
    for (const w of waiters) w()
  })
  const until = (re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${output}`)), 10_000)
      const check = () => {
        const match = re.exec(output)
        if (match === null) return
        clearTimeout(timer)
        waiters = waiters.filter((w) => w !== check)
        output = output.slice(match.index + match[0].length)
        resolve(match)
      }
      waiters.push(check)
      check()
    })
  return {child, type: (s) => child.stdin.write(s), until}
}

describe.skipIf(!hasTools)('openclaw completion bash in a real bash', () => {
  it('completes `openclaw con<TAB>` to config and `openclaw config get gateway.p<TAB>` to gateway.port', async () => {
    const script = await runCli(['completion', 'bash'], {env: t.env})
    expect(script.code).toBe(0)
    const file = path.join(t.home, 'openclaw.bash')
    writeFileSync(file, script.stdout)
    const bash = interactiveBash(t.env)
    try {
      // `RE""ADY` so the echo of the typed line never matches, only the command's output.
      bash.type(`source ${file}; echo RE""ADY\n`)
      await bash.until(/READY\r?\n/)
      // TAB completes the line; Ctrl-A + `echo R=` then prints what the line had become.
      bash.type('openclaw con\t\x01echo R=\n')
      expect((await bash.until(/\nR=(openclaw[^\r\n]*)/))[1].trim()).toBe('openclaw config')
      bash.type('openclaw config get gateway.p\t\x01echo R=\n')
      expect((await bash.until(/\nR=(openclaw[^\r\n]*)/))[1].trim()).toBe('openclaw config get gateway.port')
      bash.type('openclaw --profile work config get --sh\t\x01echo R=\n')
      expect((await bash.until(/\nR=(openclaw[^\r\n]*)/))[1].trim()).toBe('openclaw --profile work config get --show-secrets')
      bash.type('exit\n')
    } finally {
      const exited = new Promise((resolve) => bash.child.once('close', resolve))
      if (bash.child.exitCode === null) bash.child.kill()
      await exited
    }
  })

  it('prints a zsh and a fish script built from the same tree', async () => {
    const [zsh, fish] = await Promise.all([runCli(['completion', 'zsh'], {env: t.env}), runCli(['completion', 'fish'], {env: t.env})])
    expect(zsh.code).toBe(0)
    expect(zsh.stdout).toContain('bashcompinit')
    expect(zsh.stdout).toContain("'gateway.port'")
    expect(fish.code).toBe(0)
    expect(fish.stdout).toContain("complete -c openclaw -n __fish_use_subcommand -a 'config'")
    expect(fish.stdout).toMatch(/-l 'show-secrets'/)
  })

  it('refuses an unknown shell with the choices', async () => {
    const r = await runCli(['completion', 'tcsh'], {env: t.env})
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('bash, zsh, fish')
  })
})
