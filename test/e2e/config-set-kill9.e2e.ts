/**
 * Issue 6, defect 6: `config set` killed with SIGKILL at random moments. The config and its
 * `.bak` always parse, the next command succeeds, and no temp file (a full copy of the config,
 * secrets included) survives the next write.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import JSON5 from 'json5'
import {afterEach, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome | undefined
afterEach(() => {
  t?.cleanup()
  t = undefined
})

/** Starts `config set`, SIGKILLs it after `delayMs` (or lets it finish first); resolves when it is gone. */
function killedSet(env: NodeJS.ProcessEnv, value: number, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, 'config', 'set', 'gateway.port', String(value)], {env, cwd: env.HOME, stdio: 'ignore'})
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    child.on('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

describe('config set under kill -9 (issue 6, defect 6)', () => {
  it('30 kills at random moments: config and .bak always parse, the next set succeeds, no temp file remains', async () => {
    t = makeTempHome()
    mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
    const configPath = path.join(t.stateDir, 'openclaw.json')
    writeFileSync(configPath, JSON.stringify({gateway: {mode: 'local', port: 20000, auth: {token: 'kill9-secret-token'}}}), {mode: 0o600})
    // A temp a crashed writer (a PID that cannot be alive) left behind, as the sweep must find it.
    writeFileSync(path.join(t.stateDir, '.openclaw.json.99999999.0a1b2c3d.tmp'), '{"gateway":{"auth":{"token":"kill9-secret-token"}}}', {mode: 0o600})
    const parses = (file: string) => {
      const text = readFileSync(file, 'utf8')
      expect(() => JSON5.parse(text), `${file}: ${text}`).not.toThrow()
    }
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({length: 5}, (_, i) => killedSet(t!.env, 20001 + round * 5 + i, 60 + Math.floor(Math.random() * 400))))
      parses(configPath)
      if (readdirSync(t.stateDir).includes('openclaw.json.bak')) parses(`${configPath}.bak`)
    }
    const next = await runCli(['config', 'set', 'gateway.port', '20100'], {env: t.env})
    expect(next.stderr).toBe('')
    expect(next.code).toBe(0)
    expect(JSON.parse(readFileSync(configPath, 'utf8')).gateway.port).toBe(20100)
    expect(readdirSync(t.stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  }, 30_000)
})
