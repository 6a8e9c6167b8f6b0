import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, repoRoot, type TempHome} from '../helpers/cli.js'

// What the gateway transport (ws) and the network stack need at load time; a command that only
// reads config must not load any of it.
const NETWORK_MODULES = ['http', 'https', 'net', 'tls', 'zlib']

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

function probe(args: string[]): {required: string[]; bundleLoaded: boolean; status: number | null} {
  const out = path.join(t.home, 'probe.json')
  const r = spawnSync(process.execPath, ['-r', path.join(repoRoot, 'test', 'fixtures', 'module-probe.cjs'), binPath, ...args], {
    env: {...t.env, MODULE_PROBE_OUT: out},
    cwd: t.home,
    encoding: 'utf8',
  })
  return {...JSON.parse(readFileSync(out, 'utf8')), status: r.status}
}

describe('start-up cost', () => {
  it('--version loads neither oclif nor the runtime bundle', () => {
    const r = probe(['--version'])
    expect(r.status).toBe(0)
    expect(r.bundleLoaded).toBe(false)
  })

  it.each([
    [['config', 'get', 'gateway.port']],
    [['config', 'validate']],
    [['--help']],
  ])('%j loads no network modules (no ws, no gateway)', (args) => {
    const r = probe(args)
    expect(r.status).toBe(0)
    expect(r.bundleLoaded).toBe(true)
    expect(r.required.filter((m) => NETWORK_MODULES.includes(m))).toEqual([])
  })

  it('the probe does see ws when a command really uses the gateway client', () => {
    const r = probe(['gateway', 'call', 'health', '--url', 'ws://127.0.0.1:9', '--token', 'x', '--timeout', '300'])
    expect(r.required).toEqual(expect.arrayContaining(['http', 'net']))
  })
})
