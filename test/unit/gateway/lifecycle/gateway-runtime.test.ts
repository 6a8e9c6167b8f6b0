import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {z} from 'zod'

import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {loadConfig} from '../../../../src/runtime/config/load.js'
import {configSourceHash} from '../../../../src/runtime/gateway/lifecycle/config-source.js'
import {GatewayController} from '../../../../src/runtime/gateway/lifecycle/controller.js'
import {GatewayRuntime} from '../../../../src/runtime/gateway/lifecycle/gateway-runtime.js'
import {resolveListener} from '../../../../src/runtime/gateway/lifecycle/startup-checks.js'
import {pathUnder, type EventBus, type GatewaySubsystem} from '../../../../src/runtime/gateway/lifecycle/subsystem.js'
import {defineMethod} from '../../../../src/runtime/gateway/server/registry.js'
import {createLogger} from '../../../../src/runtime/logging/index.js'
import {resolvePaths, type ResolvedPaths} from '../../../../src/runtime/paths.js'
import {connectClient, connectParams, until} from '../harness.js'

let home: string
let paths: ResolvedPaths
let lines: string[]
let controller: GatewayController | undefined
const facts = {inContainer: false, ipv6Loopback: false}
const flags = {port: 0, token: 'tok', allowUnconfigured: true}
const params = connectParams({auth: {token: 'tok'}})

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'oc-rt-'))
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

/** A subsystem that records its lifecycle and serves `probe.count` and `probe.emit`. */
function probeSubsystem() {
  const seen = {starts: 0, stops: 0, configs: [] as string[][], bus: undefined as EventBus | undefined}
  const subsystem: GatewaySubsystem = {
    id: 'probe',
    configPrefixes: ['agents'],
    start: (ctx) => {
      seen.starts++
      seen.bus = ctx.bus
    },
    stop: () => {
      seen.stops++
    },
    methods: () => [[
      defineMethod({name: 'probe.count', scope: 'operator.read', params: z.object({}), handler: () => ({starts: seen.starts})}),
      defineMethod({name: 'probe.emit', scope: 'operator.write', params: z.object({}), handler: () => {
        seen.bus?.publish('config.changed', {from: 'probe'})
        return {ok: true}
      }}),
    ]],
    health: () => ({agents: [{agentId: 'probe'}]}),
    onConfig: (_next: Config, changed) => {
      seen.configs.push([...changed])
    },
  }
  return {subsystem, seen}
}

async function start(subsystems: GatewaySubsystem[]): Promise<GatewayController> {
  const env = {HOME: home}
  const loaded = loadConfig({paths, env, shellEnv: false})
  if (loaded.config === null) throw new Error(JSON.stringify(loaded.issues))
  const config = loaded.config
  const logger = createLogger({subsystem: 'gateway', env: {}, console: {stream: {write: (chunk: string) => lines.push(chunk)}, isTTY: false, color: false}})
  const {settings} = resolveListener({config, authored: loaded.authored, flags, env, facts})
  const runtime = new GatewayRuntime({paths, env, version: '9.9.9', logger, config: () => controller?.running ?? config, subsystems})
  await runtime.start()
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

describe('GatewayRuntime', () => {
  it('a subsystem starts once, serves its methods and health, and survives an in-process restart', async () => {
    writeConfig({gateway: {reload: {mode: 'hybrid', debounceMs: 20}}})
    const {subsystem, seen} = probeSubsystem()
    const c = await start([subsystem])
    const url = () => `ws://127.0.0.1:${c.server.port}`
    const {client} = await connectClient(url(), params)
    expect((await client.request('probe.count')).payload).toEqual({starts: 1})
    expect((await client.request('health')).payload.agents).toEqual([{agentId: 'probe'}])
    await client.closeAndWait()

    const first = c.server
    writeConfig({gateway: {reload: {mode: 'hybrid', debounceMs: 20}, controlUi: {enabled: false}}})
    await until(() => c.server !== first && lines.some((l) => l.includes('restart complete in')))
    const again = await connectClient(url(), params)
    expect((await again.client.request('probe.count')).payload).toEqual({starts: 1})
    // The bus now points at the new listener.
    expect((await again.client.request('probe.emit')).ok).toBe(true)
    expect((await again.client.next((f) => f.type === 'event' && f.event === 'config.changed')).payload).toEqual({from: 'probe'})
    await again.client.closeAndWait()
    expect(seen.stops).toBe(0)
    await c.stop()
    controller = undefined
    expect(seen.stops).toBe(1)
  })

  it('hot config changes reach onConfig only under its prefixes', async () => {
    writeConfig({gateway: {reload: {mode: 'hybrid', debounceMs: 20}}})
    const {subsystem, seen} = probeSubsystem()
    const c = await start([subsystem])
    writeConfig({gateway: {reload: {mode: 'hybrid', debounceMs: 20}}, logging: {level: 'debug'}})
    c.reloadBySignal()
    await until(() => lines.some((l) => l.includes('config reloaded (hot: logging.level')))
    expect(seen.configs).toEqual([])
    writeConfig({gateway: {reload: {mode: 'hybrid', debounceMs: 20}}, logging: {level: 'debug'}, agents: {defaults: {model: 'openai/gpt-4o'}}})
    c.reloadBySignal()
    await until(() => seen.configs.length === 1)
    expect(seen.configs).toEqual([['agents.defaults.model']])
  })

  it('a subsystem that fails to start serves no methods and marks itself failing', async () => {
    const broken: GatewaySubsystem = {id: 'broken', start: () => Promise.reject(new Error('no disk')), stop: () => undefined, methods: () => [[defineMethod({name: 'broken.x', scope: undefined, params: z.object({}), handler: () => 1})]]}
    const c = await start([broken])
    const {client} = await connectClient(`ws://127.0.0.1:${c.server.port}`, params)
    expect((await client.request('broken.x')).error.code).toBe('INVALID_REQUEST')
    expect(c.server.readiness().failing).toEqual(['broken'])
    await client.closeAndWait()
  })
})

describe('pathUnder', () => {
  it.each([
    ['agents', 'agents', true],
    ['agents.list[0].model', 'agents', true],
    ['agents[0]', 'agents', true],
    ['agentsx', 'agents', false],
    ['channels.telegram.accounts.work', 'channels.telegram', true],
    ['channels.telegramx', 'channels.telegram', false],
  ])('%s under %s = %s', (p, prefix, expected) => {
    expect(pathUnder(p, prefix)).toBe(expected)
  })
})
