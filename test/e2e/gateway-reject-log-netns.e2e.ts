/**
 * Issue 6 defect 8 / issue 9 item 9, with the real binary and a real non-loopback address: the
 * gateway and a brute-forcing client run in a private network namespace (10.77.0.1 on its own
 * loopback device, so the host's network is untouched). 25 wrong tokens leave a warn line naming
 * the address and the count, and the token appears nowhere in the log. Needs root and
 * `ip netns`; skipped with a printed reason otherwise.
 */
import {execFileSync, spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'

import {afterEach, describe, expect, it} from 'vitest'

import {binPath, repoRoot} from '../helpers/cli.js'
import {freePort, makeGatewayHome, waitForExit, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'

const NS = `oc-harden-${process.pid}`
const ADDRESS = '10.77.0.1'

function netnsReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root'
  try {
    execFileSync('ip', ['netns', 'add', NS], {stdio: 'ignore'})
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up'], {stdio: 'ignore'})
    execFileSync('ip', ['-n', NS, 'addr', 'add', `${ADDRESS}/8`, 'dev', 'lo'], {stdio: 'ignore'})
    return undefined
  } catch (error) {
    return `ip netns unavailable: ${(error as Error).message.split('\n')[0]}`
  }
}
const skipReason = netnsReason()
if (skipReason !== undefined) console.warn(`gateway-reject-log-netns.e2e: skipped (${skipReason})`)

let home: GatewayHome | undefined
let gateway: GatewayProcess | undefined
afterEach(async () => {
  gateway?.kill()
  if (gateway !== undefined) await gateway.exited
  home?.cleanup()
  gateway = home = undefined
  execFileSync('ip', ['netns', 'del', NS], {stdio: 'ignore'})
})

/** Runs `node -e script` inside the namespace; resolves with its stdout. */
function inNamespace(args: string[], env: NodeJS.ProcessEnv): {child: ReturnType<typeof spawn>; output: Promise<string>} {
  const child = spawn('ip', ['netns', 'exec', NS, process.execPath, ...args], {env, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  return {child, output: new Promise((resolve) => child.on('exit', () => resolve(out)))}
}

const BRUTE_FORCE = `
const WebSocket = require(${JSON.stringify(`${repoRoot}/node_modules/ws`)})
const [url, count] = [process.argv[1], Number(process.argv[2])]
const once = (i) => new Promise((resolve) => {
  const ws = new WebSocket(url, {localAddress: ${JSON.stringify(ADDRESS)}})
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    if (frame.event === 'connect.challenge') ws.send(JSON.stringify({type: 'req', id: 'c' + i, method: 'connect', params: {
      minProtocol: 3, maxProtocol: 4, client: {id: 'cli', version: '1', platform: 'linux', mode: 'cli'}, role: 'operator', scopes: [], auth: {token: 'brute-force-guess-' + i}}}))
  })
  ws.on('close', resolve)
  ws.on('error', resolve)
})
;(async () => { for (let i = 0; i < count; i++) await once(i); console.log('done') })()
`

describe.skipIf(skipReason !== undefined)('brute force from a non-loopback address (issue 6, defect 8)', () => {
  it('25 wrong tokens: a warn line names the address and the count; no token in the log', async () => {
    const port = await freePort()
    home = makeGatewayHome({gateway: {mode: 'local', port, bind: 'custom', customBindHost: ADDRESS, auth: {token: 'netns-real-token-123456'}}})
    const run = inNamespace([binPath, 'gateway', 'run'], home.env)
    gateway = {
      child: run.child, pid: run.child.pid as number, stderr: () => '', exited: run.output.then(() => run.child.exitCode ?? 1),
      waitForStderr: async () => undefined, kill: () => void run.child.kill('SIGKILL'),
    }
    // Ready once the file log says so (the namespace's port is not reachable from the test process).
    const readLog = () => {
      try {
        return readFileSync(home!.logFile, 'utf8')
      } catch {
        return ''
      }
    }
    for (let i = 0; i < 200 && !/ready in/.test(readLog()); i++) await new Promise((r) => setTimeout(r, 50))
    expect(readLog()).toMatch(/ready in/)
    const brute = inNamespace(['-e', BRUTE_FORCE, `ws://${ADDRESS}:${port}/`, '25'], home.env)
    expect(await brute.output).toContain('done')
    run.child.kill('SIGTERM')
    expect(await waitForExit(gateway)).toBe(0)
    const log = readLog()
    const warns = log.trim().split('\n').map((line) => JSON.parse(line)).filter((entry) => entry.level === 'warn')
    expect(warns.some((entry) => String(entry.message).startsWith(`gateway connect rejected from ${ADDRESS}: unauthorized`))).toBe(true)
    expect(warns.some((entry) => String(entry.message).startsWith(`gateway rejected 25 connects from ${ADDRESS} since `))).toBe(true)
    expect(log).not.toContain('brute-force-guess')
  }, 30_000)
})
