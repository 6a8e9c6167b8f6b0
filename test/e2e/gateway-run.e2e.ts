import {existsSync, readFileSync} from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {freePort, httpGet, makeGatewayHome, spawnGateway, waitForExit, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {connectClient, connectParams, type TestClient} from '../unit/gateway/harness.js'

const TOKEN = 'run-e2e-token'
let home: GatewayHome | undefined
let gateway: GatewayProcess | undefined
const clients: TestClient[] = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.closeAndWait()))
  gateway?.kill()
  if (gateway !== undefined) await gateway.exited
  gateway = undefined
  home?.cleanup()
  home = undefined
})

async function start(args: string[] = []): Promise<{port: number; healthMs: number}> {
  home = makeGatewayHome()
  const port = await freePort()
  const spawnedAt = performance.now()
  gateway = spawnGateway(['gateway', '--token', TOKEN, '--allow-unconfigured', '--port', String(port), ...args], home.env)
  const healthMs = await waitForHealth(port, {since: spawnedAt, proc: gateway})
  return {port, healthMs}
}

describe('gateway run (real binary)', () => {
  it('starts with --token --allow-unconfigured: /health, /ready, gateway call health, health --json', async () => {
    const {port, healthMs} = await start()
    // Informational: the spawn → /health 200 time on this machine (target: hello-ok ≤ 300 ms).
    console.log(`spawn → /health 200: ${Math.round(healthMs)} ms`)
    await gateway!.waitForStderr(/ready in \d+ ms/)
    expect(await httpGet(port, '/health')).toEqual({status: 200, body: {ok: true, status: 'live'}})
    expect(await httpGet(port, '/ready')).toMatchObject({status: 200, body: {ready: true, failing: []}})

    const call = await runCli(['gateway', 'call', 'health', '--token', TOKEN, '--port', String(port), '--json'], {env: home!.env})
    expect(call.code).toBe(0)
    expect(call.json).toMatchObject({ok: true, defaultAgentId: 'main', configReload: {mode: 'hybrid'}})

    const health = await runCli(['health', '--json'], {env: {...home!.env, OPENCLAW_GATEWAY_TOKEN: TOKEN, OPENCLAW_GATEWAY_PORT: String(port)}})
    expect(health.code).toBe(0)
    expect(health.json).toMatchObject({ok: true, result: {ok: true, ready: true, failing: [], serverVersion: expect.any(String)}})

    const lock = JSON.parse(readFileSync(path.join(home!.stateDir, 'locks', 'gateway.lock'), 'utf8'))
    expect(lock).toMatchObject({pid: gateway!.pid, port, version: expect.any(String), startedAt: expect.any(String)})
  })

  it('logs the startup lines of operations.md §3.1 in order, to stderr and the file log', async () => {
    const {port} = await start()
    await gateway!.waitForStderr(/ready in \d+ ms/)
    const expected = [
      /openclaw \S+ starting \(node v\d+\.\d+\.\d+, pid \d+, profile default\)/,
      new RegExp(`config: ${home!.configPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      /state dir: /,
      /auth: token \(from --token, sha256:[0-9a-f]{8}\)/,
      new RegExp(`listening on ws://127\\.0\\.0\\.1:${port}(, ws://\\[::1\\]:${port})? \\(http \\+ ws\\)`),
      /log file: .*gateway\.log/,
      /agent model: not configured/,
      /channels: none configured/,
      /ready in \d+ ms/,
    ]
    const stderr = gateway!.stderr()
    let at = 0
    for (const pattern of expected) {
      const match = pattern.exec(stderr.slice(at))
      expect(match, `${String(pattern)} after offset ${at} in:\n${stderr}`).not.toBeNull()
      at += match!.index + match![0].length
    }
    const fileMessages = readFileSync(home!.logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line).message as string)
    expect(fileMessages).toContain('channels: none configured')
    expect(fileMessages.some((m) => m.includes('tok' + 'en (from'))).toBe(true)
    expect(readFileSync(home!.logFile, 'utf8')).not.toContain(TOKEN)
  })

  it('SIGTERM with 100 idle clients: each gets shutdown then close 1012; exit 0, quickly; lock released', async () => {
    const {port} = await start()
    const url = `ws://127.0.0.1:${port}/`
    for (let i = 0; i < 100; i += 10) {
      const batch = await Promise.all(Array.from({length: 10}, (_, j) => connectClient(url, connectParams({auth: {token: TOKEN}, client: {id: 'cli', version: '1', platform: 'linux', mode: 'cli', instanceId: `i${i + j}`}}))))
      for (const {client, res} of batch) {
        expect(res.ok).toBe(true)
        clients.push(client)
      }
    }
    const signalledAt = performance.now()
    gateway!.child.kill('SIGTERM')
    const code = await waitForExit(gateway!, 5000)
    const exitMs = performance.now() - signalledAt
    expect(code).toBe(0)
    for (const client of clients) {
      const closed = await client.closed
      expect(closed).toEqual({code: 1012, reason: 'service restart'})
      const shutdownIndex = client.frames.findIndex((f) => f.type === 'event' && f.event === 'shutdown')
      expect(shutdownIndex).toBeGreaterThan(-1)
      expect(client.frames[shutdownIndex].payload).toEqual({reason: 'gateway stopping'})
    }
    console.log(`SIGTERM → exit with 100 clients: ${Math.round(exitMs)} ms`)
    expect(exitMs).toBeLessThan(2000)
    expect(gateway!.stderr()).toMatch(/received SIGTERM; draining \(up to 30 s\)[\s\S]*shutdown complete in \d+ ms/)
    expect(existsSync(path.join(home!.stateDir, 'locks', 'gateway.lock'))).toBe(false)
    expect(existsSync(path.join(home!.stateDir, 'locks', 'state.lock'))).toBe(false)
  })

  it('SIGTERM when idle exits 0 within a short time', async () => {
    await start()
    await gateway!.waitForStderr(/ready in/)
    const signalledAt = performance.now()
    gateway!.child.kill('SIGTERM')
    expect(await waitForExit(gateway!, 5000)).toBe(0)
    const exitMs = performance.now() - signalledAt
    console.log(`SIGTERM → exit (idle): ${Math.round(exitMs)} ms`)
    // The target is ≤ 100 ms; allow slack for a loaded CI machine.
    expect(exitMs).toBeLessThan(1000)
  })

  it('SIGUSR1 restarts in process: clients get shutdown + 1012, same PID, same port answers again', async () => {
    const {port} = await start()
    const {client, res} = await connectClient(`ws://127.0.0.1:${port}/`, connectParams({auth: {token: TOKEN}}))
    expect(res.ok).toBe(true)
    clients.push(client)
    gateway!.child.kill('SIGUSR1')
    expect(await client.closed).toEqual({code: 1012, reason: 'service restart'})
    await gateway!.waitForStderr(/received SIGUSR1; restarting in process[\s\S]*restart complete in \d+ ms/)
    await waitForHealth(port, {proc: gateway})
    const again = await connectClient(`ws://127.0.0.1:${port}/`, connectParams({auth: {token: TOKEN}}))
    clients.push(again.client)
    expect((await again.client.request('status', {})).payload.pid).toBe(gateway!.pid)
  })

  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('a second %s during drain exits %i at once and releases the locks', async (signal, code) => {
    const {port} = await start()
    // A raw socket that completes the upgrade but never answers the close frame keeps the drain open.
    const raw = net.connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()))
    raw.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    await new Promise<void>((resolve) => raw.once('data', () => resolve()))
    raw.pause()
    try {
      gateway!.child.kill(signal)
      await gateway!.waitForStderr(`received ${signal}; draining (up to 30 s)`)
      gateway!.child.kill(signal)
      expect(await waitForExit(gateway!, 5000)).toBe(code)
      expect(gateway!.stderr()).toContain(`received ${signal} during drain; exiting now`)
      expect(existsSync(path.join(home!.stateDir, 'locks', 'gateway.lock'))).toBe(false)
      expect(existsSync(path.join(home!.stateDir, 'locks', 'state.lock'))).toBe(false)
    } finally {
      raw.destroy()
    }
  })
})
