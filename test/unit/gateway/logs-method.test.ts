import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {dispatchFrame, type DispatchConnection, type DispatchDeps} from '../../../src/runtime/gateway/server/dispatch.js'
import {HealthCache} from '../../../src/runtime/gateway/server/health-cache.js'
import {createMethodRegistry} from '../../../src/runtime/gateway/methods/groups.js'
import {PresenceList} from '../../../src/runtime/gateway/server/presence.js'
import type {OperatorScope} from '../../../src/runtime/gateway/protocol/frames.js'
import type {GatewayServices} from '../../../src/runtime/gateway/server/services.js'
import {memoryLogger} from './harness.js'

let root: string
let file: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-logs-tail-'))
  file = path.join(root, 'openclaw-2026-05-01.log')
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

function services(logFile: (() => string | null) | undefined): GatewayServices {
  return {
    info: {version: '1.2.3', startedAt: 1000, bind: 'loopback', port: 18789, authMode: 'token', reloadMode: 'hybrid'},
    health: new HealthCache(() => ({channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 1800, defaultAgentId: 'main', agents: [], sessions: {path: '/s', count: 0, recent: []}}), () => undefined),
    presence: new PresenceList(() => ({ts: 1, mode: 'gateway', reason: 'self'})),
    logger: memoryLogger().logger, now: () => 5000, getConfig: () => undefined, queuedSystemEvents: () => [], broadcast: () => undefined,
    logFile,
  }
}

function conn(scopes: OperatorScope[] = ['operator.read']): DispatchConnection & {sent: string[]} {
  const sent: string[] = []
  return {connId: 'c', role: 'operator', scopes, clientId: 'cli', clientMode: 'cli', ip: '127.0.0.1', loopback: true, methodState: new Map(), sent, send: (t) => void sent.push(t)}
}

let counter = 0
async function tail(params: unknown, c = conn(), deps: DispatchDeps = {registry: createMethodRegistry(), services: services(() => file)}) {
  const id = `r${++counter}`
  await dispatchFrame(JSON.stringify({type: 'req', id, method: 'logs.tail', params}), false, c, deps)
  const res = JSON.parse(c.sent.at(-1) as string)
  expect(res.id).toBe(id)
  return res
}

const lines = (...names: string[]) => names.map((n) => `${n}\n`).join('')

describe('logs.tail via dispatch (protocol.md §6.2, §6.4)', () => {
  it('answers the no-file shape before the gateway has logged anything', async () => {
    expect(await tail({})).toEqual({type: 'res', id: expect.any(String), ok: true, payload: {file, cursor: 0, size: 0, lines: []}})
  })

  it('reads the tail, then only what was appended from the returned cursor', async () => {
    writeFileSync(file, lines('a', 'b'))
    const c = conn()
    const first = await tail(undefined, c)
    expect(first.payload).toEqual({file, cursor: 4, size: 4, lines: ['a', 'b']})
    appendFileSync(file, lines('c') + 'partial')
    expect((await tail({cursor: 4}, c)).payload).toEqual({file, cursor: 6, size: 13, lines: ['c']})
  })

  it('defaults limit to 500 lines', async () => {
    writeFileSync(file, Array.from({length: 600}, (_, i) => `${i}\n`).join(''))
    const {payload} = await tail({})
    expect(payload.lines).toHaveLength(500)
    expect(payload.lines[0]).toBe('100')
    expect(payload.truncated).toBe(true)
  })

  it('jumps ahead when more than maxBytes are unread', async () => {
    writeFileSync(file, lines('aaaa', 'bbbb', 'cccc'))
    expect((await tail({cursor: 0, maxBytes: 5})).payload).toEqual({file, cursor: 15, size: 15, lines: ['cccc'], truncated: true, skippedBytes: 10})
  })

  it('resets when the file shrank below the cursor', async () => {
    writeFileSync(file, lines('x'))
    expect((await tail({cursor: 100})).payload).toEqual({file, cursor: 2, size: 2, lines: ['x'], reset: true})
  })

  it('resets when this connection last read another file (day rollover), not for other connections', async () => {
    let current = file
    const deps: DispatchDeps = {registry: createMethodRegistry(), services: services(() => current)}
    writeFileSync(file, lines('old-1', 'old-2'))
    const next = path.join(root, 'openclaw-2026-05-02.log')
    writeFileSync(next, lines('new-1', 'new-2', 'new-3'))
    const a = conn()
    const before = await tail({}, a, deps)
    current = next
    expect((await tail({cursor: before.payload.cursor}, a, deps)).payload).toEqual({file: next, cursor: 18, size: 18, lines: ['new-1', 'new-2', 'new-3'], reset: true})
    // A fresh connection has no previous answer: the cursor applies to the current file.
    expect((await tail({cursor: 12}, conn(), deps)).payload).toEqual({file: next, cursor: 18, size: 18, lines: ['new-3']})
  })

  it.each<[string, unknown, string]>([
    ['negative cursor', {cursor: -1}, 'cursor'],
    ['fractional cursor', {cursor: 1.5}, 'cursor'],
    ['limit 0', {limit: 0}, 'limit'],
    ['limit over 5000', {limit: 5001}, 'limit'],
    ['maxBytes 0', {maxBytes: 0}, 'maxBytes'],
    ['maxBytes over 1000000', {maxBytes: 1_000_001}, 'maxBytes'],
    ['limit as a string', {limit: '10'}, 'limit'],
  ])('rejects %s', async (_name, params, key) => {
    const res = await tail(params)
    expect(res).toMatchObject({ok: false, error: {code: 'INVALID_REQUEST'}})
    expect(res.error.message).toMatch(new RegExp(`^invalid logs\\.tail params: .*${key}`))
  })

  it('accepts the bounds and ignores unknown keys (a read method)', async () => {
    writeFileSync(file, lines('a'))
    expect(await tail({cursor: 0, limit: 5000, maxBytes: 1_000_000, future: true})).toMatchObject({ok: true, payload: {lines: ['a']}})
    expect(await tail({limit: 1, maxBytes: 1})).toMatchObject({ok: true})
  })

  it('needs operator.read; write and admin satisfy it', async () => {
    expect(await tail({}, conn([]))).toMatchObject({ok: false, error: {code: 'FORBIDDEN', message: 'missing scope: operator.read'}})
    expect(await tail({}, conn(['operator.pairing']))).toMatchObject({ok: false, error: {code: 'FORBIDDEN'}})
    expect(await tail({}, conn(['operator.write']))).toMatchObject({ok: true})
    expect(await tail({}, conn(['operator.admin']))).toMatchObject({ok: true})
  })

  it('answers UNAVAILABLE when the gateway keeps no file log', async () => {
    for (const logFile of [undefined, () => null]) {
      const res = await tail({}, conn(), {registry: createMethodRegistry(), services: services(logFile)})
      expect(res).toMatchObject({ok: false, error: {code: 'UNAVAILABLE', message: 'logs.tail unavailable: this gateway keeps no file log'}})
    }
  })

  it('answers UNAVAILABLE with the reason when the file cannot be read', async () => {
    const res = await tail({}, conn(), {registry: createMethodRegistry(), services: services(() => root)})
    expect(res).toMatchObject({ok: false, error: {code: 'UNAVAILABLE', message: expect.stringContaining(`cannot read log file ${root}`)}})
  })
})
