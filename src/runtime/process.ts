import {spawnSync} from 'node:child_process'

/**
 * The one module that runs child processes (ARCHITECTURE.md). Keep it small and import it only
 * where a child process is really needed.
 */

/** Printed by the login shell before `env -0`, so whatever its profile prints first is skipped. */
const SHELL_ENV_MARKER = '__OPENCLAW_SHELL_ENV__'

export type LoginShellEnvResult = {ok: true; vars: Record<string, string>} | {ok: false; error: string}

/**
 * Runs `<shell> -l -c 'env -0'` synchronously and returns the variables a login shell would have
 * (config.md §3.1 step 5). Stdin and stderr are ignored; the shell is killed after `timeoutMs`.
 * Never throws: a missing shell, a non-zero exit or a timeout comes back as `{ok: false}`.
 */
export function runLoginShellEnv(shell: string, timeoutMs: number, env: NodeJS.ProcessEnv): LoginShellEnvResult {
  const result = spawnSync(shell, ['-l', '-c', `printf '%s\\000' ${SHELL_ENV_MARKER}; env -0`], {
    env,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 16 * 1024 * 1024,
  })
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code
    if (code === 'ETIMEDOUT') return {ok: false, error: `timed out after ${timeoutMs} ms`}
    return {ok: false, error: code === 'ENOENT' ? `${shell} not found` : result.error.message}
  }
  if (result.status !== 0) return {ok: false, error: result.signal === null ? `${shell} exited with code ${result.status}` : `${shell} was killed by ${result.signal}`}
  const output = result.stdout.toString('utf8')
  const start = output.indexOf(`${SHELL_ENV_MARKER}\0`)
  if (start === -1) return {ok: false, error: `${shell} printed no environment`}
  const vars: Record<string, string> = {}
  for (const entry of output.slice(start + SHELL_ENV_MARKER.length + 1).split('\0')) {
    const eq = entry.indexOf('=')
    if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return {ok: true, vars}
}

/** What `runShellCommand` reports; output is the tail kept by the caller's buffers. */
export interface ShellResult {
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  aborted: boolean
  durationMs: number
  /** The command could not be started at all (e.g. the working directory is gone). */
  spawnError?: string
}

export interface ShellOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** SIGTERM after this long, SIGKILL `killGraceMs` later. */
  timeoutMs: number
  signal: AbortSignal
  onStdout(chunk: Buffer): void
  onStderr(chunk: Buffer): void
  killGraceMs?: number
}

/**
 * Runs `/bin/sh -c <command>` with execa in its own process group, so a timeout or an abort
 * terminates the whole pipeline (SIGTERM, then SIGKILL after the grace period), not only the
 * shell. Stdin is closed. Never rejects: failures come back in the result.
 */
export async function runShellCommand(command: string, options: ShellOptions): Promise<ShellResult> {
  const {execa} = await import('execa')
  const started = performance.now()
  const child = execa('/bin/sh', ['-c', command], {cwd: options.cwd, env: options.env, extendEnv: false, stdin: 'ignore', buffer: false, reject: false, detached: true, cleanup: true})
  child.stdout?.on('data', options.onStdout)
  child.stderr?.on('data', options.onStderr)
  let timedOut = false
  let aborted = false
  let forceTimer: NodeJS.Timeout | undefined
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig)
    } catch {
      // Already gone.
    }
  }
  const terminate = () => {
    killGroup('SIGTERM')
    forceTimer ??= setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000)
  }
  const timer = setTimeout(() => {
    timedOut = true
    terminate()
  }, options.timeoutMs)
  const onAbort = () => {
    aborted = true
    terminate()
  }
  if (options.signal.aborted) onAbort()
  else options.signal.addEventListener('abort', onAbort, {once: true})
  try {
    const result = await child
    const failed = result.failed && result.exitCode === undefined && result.signal === undefined
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      timedOut,
      aborted,
      durationMs: Math.round(performance.now() - started),
      ...(failed ? {spawnError: result.shortMessage} : {}),
    }
  } finally {
    clearTimeout(timer)
    clearTimeout(forceTimer)
    options.signal.removeEventListener('abort', onAbort)
  }
}

/** What {@link runCommand} reports; it never throws for a failing or missing program. */
export interface CommandResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** The program was not found (ENOENT) or could not be executed. */
  notFound: boolean
  timedOut: boolean
}

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv
  /** Kill the child after this many ms (default 30000). */
  timeoutMs?: number
  /** Let the child talk to the terminal (a sudo password prompt); output is then not captured. */
  interactive?: boolean
}

/**
 * Runs `file args…` through execa (loaded lazily: most commands never spawn anything) with no
 * shell, stdin closed unless `interactive`. Output is captured and trimmed of the final newline.
 */
export async function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  const {execa} = await import('execa')
  const result = await execa(file, [...args], {
    env: options.env,
    extendEnv: options.env === undefined,
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
    stdin: options.interactive === true ? 'inherit' : 'ignore',
    stderr: options.interactive === true ? 'inherit' : 'pipe',
    stripFinalNewline: true,
  })
  const code = (result as {code?: string}).code
  return {
    exitCode: result.exitCode ?? null,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    notFound: code === 'ENOENT' || code === 'EACCES',
    timedOut: result.timedOut === true,
  }
}

/** Opens a URL with `open` (macOS) or `xdg-open`, detached; failures are ignored (the URL is printed anyway). */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const {execa} = await import('execa')
  try {
    const child = execa(process.platform === 'darwin' ? 'open' : 'xdg-open', [url], {env, detached: true, stdio: 'ignore', reject: false})
    child.unref()
  } catch {
    // no opener: the printed link is enough
  }
}
