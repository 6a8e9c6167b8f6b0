import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {followLogs, LOGS_NOTICES, type LogsEvent} from '../../../src/runtime/logs/follow-logs.js'
import type {LogsRequest} from '../../../src/runtime/logs/open-logs.js'
import {resolvePaths} from '../../../src/runtime/paths.js'

const logger = {debug() {}, info() {}, warn() {}, error() {}}
const TOKEN = 'follow-token'

let root: string
let file: string
const servers: GatewayServer[] = []

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-follow-'))
  file = path.join(root, 'gateway.log')
})
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({drainMs: 50})
  rmSync(root, {recursive: true, force: true})
})

const record = (message: string, level = 'info') => JSON.stringify({time: '2026-05-01T10:15:00.123+02:00', level, subsystem: 'gateway', message, pid: 1})
const lines = (...messages: string[]) => messages.map((m) => record(m) + '\n').join('')

function request(flags: LogsRequest['flags']): LogsRequest {
  const env = {HOME: root}
  return {paths: resolvePaths({env, cwd: root}), env, flags, sizing: {limit: 200, maxBytes: 250_000}, timeoutMs: 2000, clientInfo: {version: '0.0.0-test'}}
}

/** Pulls events into `seen` in the background; `until` waits (bounded) for a matching one. */
function collect(events: AsyncGenerator<LogsEvent, void>) {
  const seen: LogsEvent[] = []
  const done = (async () => {
    for await (const event of events) seen.push(event)
  })()
  const until = async (match: (e: LogsEvent) => boolean, timeoutMs = 5000): Promise<LogsEvent> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = seen.find(match)
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(seen)}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  return {seen, done, until}
}

const messages = (seen: LogsEvent[]) => seen.filter((e) => e.type === 'log').map((e) => (e as {message: string}).message)

describe('followLogs (operations.md §7)', () => {
  it('local: meta, the tail, appended lines, rotation notice, then ends on abort', async () => {
    writeFileSync(file, lines('one', 'two'))
    const controller = new AbortController()
    const {seen, done, until} = collect(followLogs(request({file}), {intervalMs: 20, signal: controller.signal}))
    await until((e) => e.type === 'log' && e.message === 'two')
    expect(seen[0]).toEqual({type: 'meta', source: 'local', file, cursor: Buffer.byteLength(lines('one', 'two'))})
    appendFileSync(file, lines('three'))
    await until((e) => e.type === 'log' && e.message === 'three')
    writeFileSync(file, lines('fresh'))
    await until((e) => e.type === 'log' && e.message === 'fresh')
    controller.abort()
    await done
    expect(messages(seen)).toEqual(['one', 'two', 'three', 'fresh'])
    expect(seen.filter((e) => e.type === 'notice')).toEqual([{type: 'notice', message: LOGS_NOTICES.rotated}])
    const rotated = seen.findIndex((e) => e.type === 'notice')
    expect(seen[rotated + 1]).toMatchObject({type: 'log', message: 'fresh'})
  })

  it('ends at once when aborted while waiting', async () => {
    writeFileSync(file, lines('one'))
    const controller = new AbortController()
    const {done, until} = collect(followLogs(request({file}), {intervalMs: 60_000, signal: controller.signal}))
    await until((e) => e.type === 'log')
    const started = Date.now()
    controller.abort()
    await done
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('gateway: reconnects after a restart with a notice and keeps the cursor', async () => {
    writeFileSync(file, lines('before'))
    const first = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger, logFile: () => file})
    const port = first.port
    const controller = new AbortController()
    const {seen, done, until} = collect(followLogs(request({url: `ws://127.0.0.1:${port}`, token: TOKEN}), {intervalMs: 20, signal: controller.signal, backoff: {initialMs: 50, maxMs: 200}}))
    await until((e) => e.type === 'log' && e.message === 'before')
    expect(seen[0]).toMatchObject({type: 'meta', source: 'gateway', file})
    await first.close({drainMs: 50})
    await until((e) => e.type === 'notice' && e.message.startsWith('lost the gateway connection ('))
    appendFileSync(file, lines('while down'))
    servers.push(await startGatewayServer({hosts: ['127.0.0.1'], port, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger, logFile: () => file}))
    await until((e) => e.type === 'notice' && e.message === LOGS_NOTICES.reconnected)
    await until((e) => e.type === 'log' && e.message === 'while down')
    controller.abort()
    await done
    expect(messages(seen)).toEqual(['before', 'while down'])
  })

  it('throws before the first event when there is nothing to read', async () => {
    const events = followLogs(request({file}), {intervalMs: 20, signal: new AbortController().signal})
    await expect(events.next()).rejects.toMatchObject({code: 'LOG_FILE_MISSING'})
  })
})
