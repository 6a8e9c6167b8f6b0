/**
 * Issue 6, defect 3: the running gateway's config path replaced by a FIFO, then by a symlink to a
 * 1 GiB sparse file. Reloads, `config.get` and base-hash checks must not block on the FIFO or
 * read the big file: `health` stays fast, RSS stays flat, and the gateway serves normally once
 * the file is restored.
 */
import {execFileSync} from 'node:child_process'
import {closeSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, ftruncateSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'
import {connectClient, connectParams, type TestClient} from '../unit/gateway/harness.js'

const TOKEN = 'odd-config-e2e-token'
let home: GatewayHome | undefined
let gateway: GatewayProcess | undefined
let client: TestClient | undefined

afterEach(async () => {
  await client?.closeAndWait()
  gateway?.kill()
  if (gateway !== undefined) await gateway.exited
  home?.cleanup()
  client = gateway = home = undefined
})

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024

/** `health` round trips for `ms` (a stalled or file-slurping gateway takes seconds; 750 ms leaves room for a loaded machine), interleaved with `config.get` (which hashes the sources); returns the slowest health. */
async function probe(c: TestClient, ms: number): Promise<number> {
  let worst = 0
  const end = Date.now() + ms
  while (Date.now() < end) {
    const t = performance.now()
    expect((await c.request('health')).ok).toBe(true)
    worst = Math.max(worst, performance.now() - t)
    await c.request('config.get', {})
  }
  return worst
}

describe('odd files at the config path (issue 6, defect 3)', () => {
  it('a FIFO and a symlink to a 1 GiB sparse file neither stall the gateway nor grow its RSS', async () => {
    const port = await freePort()
    home = makeGatewayHome({gateway: {mode: 'local', port, auth: {token: TOKEN}, reload: {debounceMs: 20}}})
    gateway = spawnGateway(['gateway'], home.env)
    await waitForHealth(port, {proc: gateway})
    await gateway.waitForStderr(/ready in/)
    ;({client} = await connectClient(`ws://127.0.0.1:${port}/`, connectParams({auth: {token: TOKEN}})))
    await probe(client, 200)
    const rssBefore = rssMiB(gateway.pid)
    const saved = `${home.configPath}.saved`
    renameSync(home.configPath, saved)

    execFileSync('mkfifo', [home.configPath])
    expect(await probe(client, 600)).toBeLessThan(750)

    rmSync(home.configPath)
    const big = path.join(home.home, 'big.json')
    const fd = openSync(big, 'w')
    ftruncateSync(fd, 1024 ** 3)
    closeSync(fd)
    symlinkSync(big, home.configPath)
    expect(await probe(client, 600)).toBeLessThan(750)
    expect(rssMiB(gateway.pid) - rssBefore).toBeLessThan(16)

    rmSync(home.configPath)
    renameSync(saved, home.configPath)
    const snapshot = await client.request('config.get', {})
    expect(snapshot.ok).toBe(true)
    expect(snapshot.payload.valid).toBe(true)
    expect(gateway.child.exitCode).toBeNull()
  }, 20_000)
})
