/**
 * Running the reference OpenClaw 2026.9 (the "peer") for the opt-in interop suite: its CLI and
 * its gateway, each with a fresh HOME, loopback only, update checks, channels and cron off so it
 * never reaches beyond 127.0.0.1. Every wait is bounded.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {runProcess} from '../helpers/cli.js'
import {httpGet} from '../helpers/gateway-process.js'

/** `OPENCLAW_PEER_CLI` (the reference `openclaw.mjs`) and `OPENCLAW_PEER_NODE` (Node ≥ 24), when both are set. */
export function peerInstallation(env: NodeJS.ProcessEnv = process.env): {cli: string; node: string} | undefined {
  const cli = env.OPENCLAW_PEER_CLI
  const node = env.OPENCLAW_PEER_NODE
  return cli && node ? {cli, node} : undefined
}

export interface PeerHome {
  home: string
  env: NodeJS.ProcessEnv
  cleanup(): void
}

/** A fresh HOME whose config keeps the peer's log inside it, plus the env that keeps the peer offline. */
export function makePeerHome(config: Record<string, unknown> = {}): PeerHome {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-peer-'))
  mkdirSync(path.join(home, '.openclaw'), {recursive: true, mode: 0o700})
  mkdirSync(path.join(home, 'tmp'))
  const logging = {file: path.join(home, 'logs', 'peer.log')}
  writeFileSync(path.join(home, '.openclaw', 'openclaw.json'), JSON.stringify({...config, logging}, null, 2) + '\n', {mode: 0o600})
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: path.join(home, 'tmp'),
    OPENCLAW_NO_AUTO_UPDATE: '1', OPENCLAW_SKIP_CHANNELS: '1', OPENCLAW_SKIP_CRON: '1',
  }
  return {home, env, cleanup: () => rmSync(home, {recursive: true, force: true})}
}

export interface PeerResult {
  code: number | null
  stdout: string
  stderr: string
  /** stdout parsed as one JSON document, else undefined. */
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs the peer CLI with `args`; SIGKILL after `timeoutMs`. */
export function runPeer(args: string[], options: {env: NodeJS.ProcessEnv; timeoutMs?: number}): Promise<PeerResult> {
  const peer = peerInstallation()
  if (peer === undefined) throw new Error('OPENCLAW_PEER_CLI and OPENCLAW_PEER_NODE must be set')
  return runProcess(peer.node, [peer.cli, ...args], {env: options.env, cwd: options.env.HOME, timeoutMs: options.timeoutMs ?? 60_000})
}

export interface PeerGateway {
  port: number
  child: ChildProcess
  output(): string
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>
}

/** `openclaw gateway run --port <port> --token <token>` with `gateway.mode: local`, `gateway.bind: loopback`. */
export function startPeerGateway(home: PeerHome, port: number, token: string): PeerGateway {
  const peer = peerInstallation()
  if (peer === undefined) throw new Error('OPENCLAW_PEER_CLI and OPENCLAW_PEER_NODE must be set')
  const child = spawn(peer.node, [peer.cli, 'gateway', 'run', '--port', String(port), '--token', token], {env: home.env, cwd: home.home, stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  child.stdout?.on('data', (d) => (output += d))
  child.stderr?.on('data', (d) => (output += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    port,
    child,
    output: () => output,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, timeoutMs)
      })
      await Promise.race([exited, late])
      clearTimeout(timer)
      await exited
    },
  }
}

/** Polls `GET <path>` on 127.0.0.1:`port` every 200 ms until `accept` holds; throws after `timeoutMs`. */
export async function waitForHttp(port: number, urlPath: string, accept: (r: {status: number; body: unknown}) => boolean, timeoutMs: number, gateway?: PeerGateway): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (accept(await httpGet(port, urlPath, 1000))) return
    if (gateway !== undefined && gateway.child.exitCode !== null) throw new Error(`peer gateway exited ${gateway.child.exitCode}:\n${gateway.output()}`)
    if (Date.now() > deadline) throw new Error(`GET ${urlPath} on port ${port} not as expected within ${timeoutMs} ms${gateway === undefined ? '' : `; output:\n${gateway.output()}`}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
