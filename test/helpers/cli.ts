import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const binPath = path.join(repoRoot, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
  /** stdout parsed as JSON when it is exactly one document, else undefined. */
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TempHome {
  home: string
  stateDir: string
  /** The environment a fresh user would have: HOME and nothing openclaw-specific. */
  env: NodeJS.ProcessEnv
  cleanup(): void
}

/** A fresh HOME (and state dir path inside it) for one test; nothing from the real env leaks in. Cleanup retries: a child that is still exiting (bash writing its history) may add a file while the tree is removed. */
export function makeTempHome(): TempHome {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-test-'))
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: path.join(home, 'tmp')}
  return {home, stateDir: path.join(home, '.openclaw'), env, cleanup: () => rmSync(home, {recursive: true, force: true, maxRetries: 5, retryDelay: 100})}
}

/** Spawns `node bin/run.js …args` and collects its output. */
export function runCli(args: string[], options: {env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number}): Promise<CliResult> {
  return runProcess(process.execPath, [binPath, ...args], {timeoutMs: 15_000, ...options})
}

/** Spawns `command …args` (stdin fed from `input`), collects stdout/stderr, and SIGKILLs it after `timeoutMs`. */
export function runProcess(command: string, args: string[], options: {env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs: number}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: options.env, cwd: options.cwd ?? options.env.HOME, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      let json
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({code, stdout, stderr, json})
    })
    child.stdin.end(options.input ?? '')
  })
}
