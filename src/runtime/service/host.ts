import {randomBytes} from 'node:crypto'
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {serviceSystemPaths, type Env} from '../paths.js'
import {runCommand, type CommandResult} from '../process.js'
import {writeFileAtomic} from '../state/atomic-write.js'

/**
 * The machine the service is installed on: who we are, how to run `systemctl`/`loginctl`
 * (optionally through sudo) and how to touch files that may need privileges. Every system
 * call of the installer goes through here, so tests replace the programs on PATH and the
 * system paths with OPENCLAW_TEST_SYSTEM_ROOT, and nothing else.
 */
export interface ServiceHost {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  /** A TTY on stdin and stderr: sudo may prompt; otherwise `sudo -n`. */
  interactive: boolean
  sys: ReturnType<typeof serviceSystemPaths>
  identity: Identity
  /** Privileged steps go through sudo (a non-root user installing a system unit). */
  useSudo: boolean
  /** A private dir (0700) for files handed to `sudo install`; the state dir. */
  scratchDir: string
}

export interface Identity {
  uid: number
  user: string
  group: string
}

export interface HostOptions {
  env: NodeJS.ProcessEnv
  interactive: boolean
  platform?: NodeJS.Platform
}

/** Reads the identity with one `id` call (so tests can fake it), falling back to the process's own. */
export async function createServiceHost(options: HostOptions): Promise<ServiceHost> {
  const env = {...options.env}
  const id = await runCommand('id', [], {env, timeoutMs: 5000})
  const parsed = id.exitCode === 0 ? /uid=(\d+)\(([^)]+)\)\s+gid=\d+\(([^)]+)\)/.exec(id.stdout) : null
  const info = safeUserInfo()
  const identity: Identity = parsed === null ? {uid: process.getuid?.() ?? info.uid, user: info.username, group: info.username} : {uid: Number(parsed[1]), user: parsed[2]!, group: parsed[3]!}
  return {env, platform: options.platform ?? process.platform, interactive: options.interactive, sys: serviceSystemPaths(env as Env), identity, useSudo: false, scratchDir: os.tmpdir()}
}

/** Runs a program; `privileged` prefixes sudo (`-n` unless interactive) when the host needs it. */
export function hostRun(host: ServiceHost, file: string, args: readonly string[], options: {privileged?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<CommandResult> {
  const env = options.env ?? host.env
  if (options.privileged === true && host.useSudo) {
    const sudoArgs = host.interactive ? [file, ...args] : ['-n', file, ...args]
    return runCommand('sudo', sudoArgs, {env, timeoutMs: options.timeoutMs ?? 120_000, interactive: host.interactive})
  }
  return runCommand(file, args, {env, timeoutMs: options.timeoutMs})
}

/** Reads a file we may need sudo for (a root-only env file); null when it does not exist. */
export async function hostReadFile(host: ServiceHost, file: string, privileged: boolean): Promise<string | null> {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code !== 'EACCES' || !privileged || !host.useSudo) throw error
  }
  const result = await runCommand('sudo', host.interactive ? ['cat', file] : ['-n', 'cat', file], {env: host.env})
  if (result.exitCode !== 0) return null
  return result.stdout + '\n'
}

/**
 * Writes `data` with `mode`: atomically and directly when we may, else through
 * `sudo install -D -m <mode>` from a private temp file. Throws SERVICE_COMMAND_FAILED's cause text.
 */
export async function hostWriteFile(host: ServiceHost, file: string, data: string, mode: number, privileged: boolean): Promise<void> {
  if (!(privileged && host.useSudo)) {
    mkdirSync(path.dirname(file), {recursive: true, mode: 0o755})
    writeFileAtomic(file, data, {mode})
    return
  }
  mkdirSync(host.scratchDir, {recursive: true, mode: 0o700})
  const temp = path.join(host.scratchDir, `.openclaw-service-${process.pid}-${randomBytes(4).toString('hex')}`)
  writeFileSync(temp, data, {mode: 0o600, flag: 'wx'})
  try {
    await checked(host, 'sudo', ['install', '-D', '-m', mode.toString(8).padStart(4, '0'), temp, file], `write ${file}`)
  } finally {
    rmSync(temp, {force: true})
  }
}

/** Copies `from` to `to` keeping the mode (the `.bak` of a changed unit). */
export async function hostCopyFile(host: ServiceHost, from: string, to: string, privileged: boolean): Promise<void> {
  if (!(privileged && host.useSudo)) return copyFileSync(from, to)
  await checked(host, 'sudo', ['cp', '-p', from, to], `copy ${from}`)
}

export async function hostRemoveFile(host: ServiceHost, file: string, privileged: boolean): Promise<boolean> {
  if (!existsSync(file)) return false
  if (!(privileged && host.useSudo)) {
    rmSync(file, {force: true})
    return true
  }
  await checked(host, 'sudo', ['rm', '-f', file], `remove ${file}`)
  return true
}

async function checked(host: ServiceHost, file: string, args: string[], what: string): Promise<void> {
  const sudoArgs = file === 'sudo' && !host.interactive ? ['-n', ...args] : args
  const result = await runCommand(file, sudoArgs, {env: host.env, interactive: file === 'sudo' && host.interactive})
  if (result.exitCode !== 0) throw new Error(`${what}: ${file} ${sudoArgs.join(' ')} failed: ${result.stderr.trim() || `exit ${result.exitCode}`}`)
}

function safeUserInfo(): {uid: number; username: string} {
  try {
    const info = os.userInfo()
    return {uid: info.uid, username: info.username}
  } catch {
    return {uid: -1, username: 'unknown'}
  }
}
