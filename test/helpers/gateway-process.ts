/**
 * E2E helpers for the real `node bin/run.js gateway …` process: a free loopback port, a temp
 * home whose config keeps logs out of /tmp/openclaw, spawning with stderr captured, bounded
 * waits for /health, log lines and exit.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'

import {binPath, makeTempHome, type TempHome} from './cli.js'

/** A port nothing listens on right now (bound on 127.0.0.1:0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo
      server.close(() => resolve(address.port))
    })
  })
}

export interface GatewayHome extends TempHome {
  configPath: string
  logFile: string
  /** Writes `openclaw.json` (JSON), always keeping `logging.file` inside the temp home. */
  writeConfig(config: Record<string, unknown>): void
}

/** A fresh temp HOME with a state dir and a config that only points the file log into the home. */
export function makeGatewayHome(config: Record<string, unknown> = {}): GatewayHome {
  const t = makeTempHome()
  mkdirSync(t.env.TMPDIR as string, {recursive: true})
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  const configPath = path.join(t.stateDir, 'openclaw.json')
  const logFile = path.join(t.home, 'logs', 'gateway.log')
  const writeConfig = (next: Record<string, unknown>) => {
    const logging = {...(next.logging as Record<string, unknown> | undefined), file: logFile}
    writeFileSync(configPath, JSON.stringify({...next, logging}, null, 2) + '\n', {mode: 0o600})
  }
  writeConfig(config)
  return {...t, configPath, logFile, writeConfig}
}

export interface GatewayProcess {
  readonly child: ChildProcess
  readonly pid: number
  /** Everything written to stderr so far. */
  stderr(): string
  /** Resolves with the exit code (or 128 + signal) once the process ends. */
  readonly exited: Promise<number>
  /** Waits (bounded) until stderr matches. */
  waitForStderr(pattern: RegExp | string, timeoutMs?: number): Promise<void>
  /** SIGKILL if still alive (test cleanup). */
  kill(): void
}

const SIGNAL_NUMBERS: Record<string, number> = {SIGINT: 2, SIGKILL: 9, SIGTERM: 15}

/** Spawns `node bin/run.js <args>` with `env`. */
export function spawnGateway(args: string[], env: NodeJS.ProcessEnv): GatewayProcess {
  const child = spawn(process.execPath, [binPath, ...args], {env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  const wakers = new Set<() => void>()
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
    for (const wake of wakers) wake()
  })
  child.stdout?.resume()
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 0)))
  })
  return {
    child,
    pid: child.pid as number,
    stderr: () => stderr,
    exited,
    async waitForStderr(pattern, timeoutMs = 5000) {
      const matches = () => (typeof pattern === 'string' ? stderr.includes(pattern) : pattern.test(stderr))
      const deadline = Date.now() + timeoutMs
      while (!matches()) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`stderr never matched ${String(pattern)}; got:\n${stderr}`)
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer)
            wakers.delete(done)
            resolve()
          }
          const timer = setTimeout(done, Math.min(left, 100))
          wakers.add(done)
        })
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}

/** `GET http://127.0.0.1:<port><path>`: status and parsed body; status 0 when nothing answers. */
export function httpGet(port: number, urlPath: string, timeoutMs = 1000): Promise<{status: number; body: unknown}> {
  return new Promise((resolve) => {
    const req = http.get({host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs}, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => {
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          // Not JSON: keep the text.
        }
        resolve({status: res.statusCode ?? 0, body})
      })
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve({status: 0, body: null}))
  })
}

/** Polls `/health` every 5 ms until it answers 200; returns when (ms since `since`). Bounded by `timeoutMs`. */
export async function waitForHealth(port: number, options: {timeoutMs?: number; since?: number; proc?: GatewayProcess} = {}): Promise<number> {
  const since = options.since ?? performance.now()
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  while (Date.now() < deadline) {
    if ((await httpGet(port, '/health', 500)).status === 200) return performance.now() - since
    if (options.proc !== undefined && options.proc.child.exitCode !== null) throw new Error(`gateway exited ${options.proc.child.exitCode}:\n${options.proc.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`no /health 200 on port ${port}${options.proc === undefined ? '' : `; stderr:\n${options.proc.stderr()}`}`)
}

/** Polls until nothing answers `/health` on `port` (bounded). */
export async function waitForNoHealth(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await httpGet(port, '/health', 300)).status !== 0) {
    if (Date.now() > deadline) throw new Error(`port ${port} still answers /health`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Waits (bounded) for the process to exit; SIGKILLs it and throws on timeout. */
export async function waitForExit(proc: GatewayProcess, timeoutMs = 10_000): Promise<number> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      proc.kill()
      reject(new Error(`gateway did not exit within ${timeoutMs} ms; stderr:\n${proc.stderr()}`))
    }, timeoutMs)
  })
  try {
    return await Promise.race([proc.exited, timeout])
  } finally {
    clearTimeout(timer)
  }
}
