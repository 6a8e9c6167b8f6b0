/**
 * Issue 6, defect 5: a full disk and a read-only state dir are the machine's state, not a bug.
 * `config set` exits 1 naming the cause, leaves the config byte-identical and no lock or temp
 * file; `gateway run` exits 78 naming the cause. Needs root and `mount -t tmpfs`; skipped with a
 * printed reason otherwise.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'
import {freePort} from '../helpers/gateway-process.js'

function mountReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root'
  const probe = makeTempHome()
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.home], {stdio: 'ignore'})
    execFileSync('umount', [probe.home], {stdio: 'ignore'})
    return undefined
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`
  } finally {
    probe.cleanup()
  }
}
const skipReason = mountReason()
if (skipReason !== undefined) console.warn(`state-disk-errors.e2e: skipped (${skipReason})`)

let t: TempHome | undefined
let mounted: string | undefined
afterEach(() => {
  if (mounted !== undefined) execFileSync('umount', ['-l', mounted], {stdio: 'ignore'})
  mounted = undefined
  t?.cleanup()
  t = undefined
})

const CONFIG = '{\n  // hand-written\n  gateway: {mode: "local", port: 18789},\n}\n'

/** A state dir on its own small tmpfs holding the config. */
function tmpfsStateDir(sizeKb: number): {stateDir: string; configPath: string} {
  t = makeTempHome()
  mkdirSync(t.stateDir, {recursive: true})
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', t.stateDir])
  mounted = t.stateDir
  const configPath = path.join(t.stateDir, 'openclaw.json')
  writeFileSync(configPath, CONFIG, {mode: 0o600})
  return {stateDir: t.stateDir, configPath}
}

/** Fills the file system holding `dir` to the last byte. */
function fill(dir: string): void {
  try {
    writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1024 * 1024))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  }
}

const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.lock') || name.endsWith('.tmp') || name.endsWith('.bak'))

describe.skipIf(skipReason !== undefined)('full and read-only state dirs (issue 6, defect 5)', () => {
  it('config set on a full disk exits 1 naming ENOSPC, config byte-identical, no lock or temp left', async () => {
    const {stateDir, configPath} = tmpfsStateDir(64)
    fill(stateDir)
    const result = await runCli(['config', 'set', 'gateway.port', '19999'], {env: t!.env})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('no space left on the device (ENOSPC)')
    expect(result.stderr).toContain('~/.openclaw/openclaw.json')
    expect(result.stderr).not.toMatch(/bug|INTERNAL/i)
    expect(readFileSync(configPath, 'utf8')).toBe(CONFIG)
    expect(leftovers(stateDir)).toEqual([])
  })

  it('config set on a read-only state dir exits 1 naming EROFS; gateway run exits 78 naming it', async () => {
    // No locks/ dir yet: creating it is the gateway's first write.
    const {stateDir, configPath} = tmpfsStateDir(256)
    execFileSync('mount', ['-o', 'remount,ro', stateDir])
    const set = await runCli(['config', 'set', 'gateway.port', '19999'], {env: t!.env})
    expect(set.code).toBe(1)
    expect(set.stderr).toContain('read-only file system (EROFS)')
    expect(readFileSync(configPath, 'utf8')).toBe(CONFIG)
    expect(leftovers(stateDir)).toEqual([])

    const run = await runCli(['gateway', 'run', '--port', String(await freePort()), '--token', 'ro-test-token-123'], {env: t!.env, timeoutMs: 15_000})
    expect(run.code).toBe(78)
    expect(run.stderr).toContain('read-only file system (EROFS)')
    expect(run.stderr).not.toMatch(/This is a bug/)
  })
})
