import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {loadConfig} from '../../../../src/runtime/config/load.js'
import {configSourceHash} from '../../../../src/runtime/gateway/lifecycle/config-source.js'
import {GatewayController} from '../../../../src/runtime/gateway/lifecycle/controller.js'
import {GatewayRuntime} from '../../../../src/runtime/gateway/lifecycle/gateway-runtime.js'
import {resolveListener} from '../../../../src/runtime/gateway/lifecycle/startup-checks.js'
import {createLogger} from '../../../../src/runtime/logging/index.js'
import {resolvePaths, type ResolvedPaths} from '../../../../src/runtime/paths.js'
import {until} from '../harness.js'

let home: string
let paths: ResolvedPaths
let lines: string[]
let controller: GatewayController | undefined
const facts = {inContainer: false, ipv6Loopback: false}
const flags = {port: 0, token: 'tok', allowUnconfigured: true}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'oc-ctl-'))
  mkdirSync(path.join(home, '.openclaw'), {mode: 0o700})
  paths = resolvePaths({env: {HOME: home}, cwd: home})
  lines = []
})
afterEach(async () => {
  await controller?.stop()
  controller = undefined
  rmSync(home, {recursive: true, force: true})
})

const writeConfig = (config: Record<string, unknown>) => writeFileSync(paths.configPath, JSON.stringify(config))
const logged = (text: string) => lines.some((line) => line.includes(text))

/** A controller as `gateway run` builds it, on 127.0.0.1 port 0, logging to `lines`. */
async function startController(env: NodeJS.ProcessEnv): Promise<GatewayController> {
  const loaded = loadConfig({paths, env, shellEnv: false})
  if (loaded.config === null) throw new Error(JSON.stringify(loaded.issues))
  const logger = createLogger({subsystem: 'gateway', env: {}, console: {stream: {write: (chunk: string) => lines.push(chunk)}, isTTY: false, color: false}})
  const {settings} = resolveListener({config: loaded.config, authored: loaded.authored, flags, env, facts})
  const config = loaded.config
  const runtime = new GatewayRuntime({paths, env, version: '9.9.9', logger, config: () => controller?.running ?? config, subsystems: []})
  controller = new GatewayController({
    paths, env, version: '9.9.9', flags, facts, drainMs: 500, logger, runtime, startedAt: Date.now(),
    lock: {path: '', updatePort: () => undefined, release: () => undefined},
    initial: {candidate: {loaded, hash: configSourceHash(loaded.files), env}, listener: settings},
    onUnrecoverable: (error) => {
      throw error
    },
  })
  await controller.start()
  return controller
}

describe('GatewayController reloads', () => {
  it('updates exactly the config-origin env vars; higher sources are never touched', async () => {
    writeConfig({gateway: {reload: {mode: 'off'}}, env: {vars: {OC_A: '1', OC_B: '2', OC_HIGH: 'from-config'}}})
    const env: NodeJS.ProcessEnv = {HOME: home, OC_KEEP: 'x', OC_HIGH: 'from-shell'}
    const c = await startController(env)
    expect(env).toMatchObject({OC_A: '1', OC_B: '2', OC_HIGH: 'from-shell', OC_KEEP: 'x'})

    writeConfig({gateway: {reload: {mode: 'off'}}, env: {vars: {OC_A: '3', OC_C: '4', OC_HIGH: 'changed'}}})
    c.reloadBySignal()
    await until(() => env.OC_A === '3')
    expect(env).toEqual({HOME: home, OC_KEEP: 'x', OC_HIGH: 'from-shell', OC_A: '3', OC_C: '4'})
    expect(logged('config reloaded (hot: env.vars.OC_A, env.vars.OC_B, env.vars.OC_C, env.vars.OC_HIGH; restart: none)')).toBe(true)
  })

  it('an invalid file on SIGHUP changes nothing and logs one skip line', async () => {
    writeConfig({gateway: {reload: {mode: 'off'}}, env: {vars: {OC_A: '1'}}})
    const env: NodeJS.ProcessEnv = {HOME: home}
    const c = await startController(env)
    writeConfig({gateway: {reload: {mode: 'off'}, port: 'x'}, env: {vars: {OC_A: '2'}}})
    c.reloadBySignal()
    await until(() => logged('config reload skipped (invalid config): 1 issue(s); first: gateway.port: '))
    expect(env.OC_A).toBe('1')
    expect(c.running.env.vars).toEqual({OC_A: '1'})
  })

  it('mode hot logs a restart-class change; a later SIGHUP restarts in process (two baselines)', async () => {
    writeConfig({gateway: {reload: {mode: 'hot', debounceMs: 20}}})
    const c = await startController({HOME: home})
    const first = c.server
    writeConfig({gateway: {reload: {mode: 'hot', debounceMs: 20}, controlUi: {enabled: false}}})
    await until(() => logged(`config change needs a gateway restart (gateway.controlUi.enabled); run: openclaw gateway restart`))
    expect(c.server).toBe(first)
    expect(c.running.gateway.controlUi.enabled).toBe(false)

    c.reloadBySignal()
    await until(() => logged('restart complete in'))
    expect(c.server).not.toBe(first)
    expect(logged('config reloaded (hot: none; restart: gateway.controlUi.enabled)')).toBe(true)
  })

  it('a watched reload of an unchanged file (touch) does nothing', async () => {
    writeConfig({gateway: {reload: {debounceMs: 20}}})
    const c = await startController({HOME: home})
    writeConfig({gateway: {reload: {debounceMs: 20}}})
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(lines.filter((line) => line.includes('config reloaded'))).toEqual([])
    expect(c.running.gateway.reload.debounceMs).toBe(20)
  })
})
