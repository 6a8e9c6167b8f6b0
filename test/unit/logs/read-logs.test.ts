import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {readLogs, type LogsRequest} from '../../../src/runtime/logs/read-logs.js'
import {resolvePaths} from '../../../src/runtime/paths.js'

const logger = {debug() {}, info() {}, warn() {}, error() {}}
const TOKEN = 'logs-token'

let root: string
let logFile: string
const servers: GatewayServer[] = []

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-read-logs-'))
  logFile = path.join(root, 'logs', 'openclaw.log')
  mkdirSync(path.join(root, '.openclaw'), {recursive: true})
  writeFileSync(path.join(root, '.openclaw', 'openclaw.json'), JSON.stringify({logging: {file: logFile}}))
})
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close({drainMs: 50})
  rmSync(root, {recursive: true, force: true})
})

const record = (level: string, message: string, subsystem = 'gateway') =>
  JSON.stringify({time: '2026-05-01T10:15:00.123+02:00', level, subsystem, message, pid: 1, _meta: {logLevelName: level.toUpperCase(), name: subsystem, date: '2026-05-01T08:15:00.123Z'}})

function writeLog(file: string, ...lines: string[]): void {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, lines.map((l) => l + '\n').join(''))
}

function request(flags: LogsRequest['flags'] = {}, extra: Partial<LogsRequest> = {}): LogsRequest {
  const env = {HOME: root}
  return {paths: resolvePaths({env, cwd: root}), env, flags, sizing: {limit: 200, maxBytes: 250_000}, timeoutMs: 3000, clientInfo: {version: '0.0.0-test'}, ...extra}
}

async function gateway(file: string | null = logFile): Promise<GatewayServer> {
  const server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger, logFile: () => file})
  servers.push(server)
  return server
}

async function closedPort(): Promise<number> {
  const probe = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'x'}, version: '0', logger})
  const port = probe.port
  await probe.close({drainMs: 10})
  return port
}

describe('readLogs: local sources', () => {
  it('--local reads logging.file and parses each line', async () => {
    writeLog(logFile, record('info', 'listening'), 'not json at all', record('warn', 'slow'))
    const {view, warnings} = await readLogs(request({local: true}))
    expect(warnings).toEqual([])
    expect(view).toEqual({
      source: 'local', file: logFile, cursor: expect.any(Number), truncated: false, bytesSkipped: false,
      lines: [
        {time: '2026-05-01T10:15:00.123+02:00', level: 'info', subsystem: 'gateway', message: 'listening', raw: record('info', 'listening')},
        {time: null, level: null, subsystem: null, message: 'not json at all', raw: 'not json at all'},
        {time: '2026-05-01T10:15:00.123+02:00', level: 'warn', subsystem: 'gateway', message: 'slow', raw: record('warn', 'slow')},
      ],
    })
  })

  it('--file reads the given file (relative to the working directory) and --level filters', async () => {
    writeLog(path.join(root, 'other.log'), record('debug', 'noise'), record('error', 'boom'), 'raw line')
    const {view} = await readLogs(request({file: 'other.log'}, {minLevel: 'warn'}))
    expect(view.file).toBe(path.join(root, 'other.log'))
    expect(view.lines.map((l) => l.message)).toEqual(['boom'])
  })

  it('-n limits the lines and says the tail was cut', async () => {
    writeLog(logFile, ...['a', 'b', 'c'].map((m) => record('info', m)))
    const {view} = await readLogs(request({local: true}, {sizing: {limit: 2, maxBytes: 250_000}}))
    expect(view.lines.map((l) => l.message)).toEqual(['b', 'c'])
    expect(view.truncated).toBe(true)
  })

  it('no file yet: LOG_FILE_MISSING with the spec message', async () => {
    await expect(readLogs(request({local: true}))).rejects.toMatchObject({code: 'LOG_FILE_MISSING', exitCode: 1, message: `No log file at ${logFile} yet; the gateway creates it when it starts`})
  })
})

describe('readLogs: the gateway, and when to fall back', () => {
  it('reads through logs.tail with an explicit target', async () => {
    writeLog(logFile, record('info', 'via rpc'))
    const server = await gateway()
    const {view} = await readLogs(request({url: `ws://127.0.0.1:${server.port}`, token: TOKEN}))
    expect(view).toMatchObject({source: 'gateway', file: logFile, truncated: false, lines: [{message: 'via rpc', level: 'info'}]})
  })

  it('implicit loopback target, nothing listening, no gateway lock: the local file', async () => {
    writeLog(logFile, record('info', 'from disk'))
    const {view, warnings} = await readLogs(request({port: await closedPort()}))
    expect(view).toMatchObject({source: 'local', file: logFile, lines: [{message: 'from disk'}]})
    expect(warnings).toEqual([])
  })

  it('implicit target but a live gateway lock: no fallback', async () => {
    writeLog(logFile, record('info', 'from disk'))
    mkdirSync(path.join(root, '.openclaw', 'locks'), {recursive: true})
    writeFileSync(path.join(root, '.openclaw', 'locks', 'gateway.lock'), JSON.stringify({pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), port: 1}))
    await expect(readLogs(request({port: await closedPort()}))).rejects.toMatchObject({
      code: 'GATEWAY_UNREACHABLE',
      hint: [`A gateway (pid ${process.pid}) runs here on port 1: openclaw logs --port 1  (or read the file: openclaw logs --local)`, expect.stringMatching(/^Start it: /)],
    })
  })

  it('implicit target refusing the credentials: the local file, with a note', async () => {
    writeLog(logFile, record('info', 'from disk'))
    const server = await gateway(path.join(root, 'elsewhere.log'))
    const {view, warnings} = await readLogs(request({port: server.port, token: 'wrong'}))
    expect(view.source).toBe('local')
    expect(warnings).toEqual([expect.stringMatching(/refused the credentials .*; showing the local log file instead$/)])
  })

  it('explicit target: never local', async () => {
    writeLog(logFile, record('info', 'from disk'))
    await expect(readLogs(request({url: `ws://127.0.0.1:${await closedPort()}`, token: TOKEN}))).rejects.toMatchObject({code: 'GATEWAY_UNREACHABLE'})
    const server = await gateway()
    await expect(readLogs(request({url: `ws://127.0.0.1:${server.port}`, token: 'wrong'}))).rejects.toMatchObject({code: 'GATEWAY_AUTH_FAILED'})
  })

  it('an error answer is not a reason to fall back', async () => {
    writeLog(logFile, record('info', 'from disk'))
    const server = await gateway(null)
    await expect(readLogs(request({port: server.port, token: TOKEN}))).rejects.toMatchObject({code: 'GATEWAY_REQUEST_FAILED', message: 'logs.tail unavailable: this gateway keeps no file log'})
  })
})
