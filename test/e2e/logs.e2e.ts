import {spawn} from 'node:child_process'
import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {startGatewayServer, type GatewayServer} from '../../src/runtime/gateway/server/server.js'
import {binPath, makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

const TOKEN = 'e2e-logs-token'
const logger = {debug() {}, info() {}, warn() {}, error() {}}

let t: TempHome
let logFile: string
let server: GatewayServer
let serverLog: string

/** One stored line in the format of config.md §12. */
function record(level: string, message: string, subsystem = 'gateway', time = '2026-05-01T10:15:00.123+02:00'): string {
  return JSON.stringify({time, level, subsystem, message, pid: 4242, _meta: {logLevelName: level.toUpperCase(), name: subsystem, date: new Date(time).toISOString()}})
}

function writeLog(file: string, lines: string[]): void {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, lines.map((l) => l + '\n').join(''))
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: 'x'}, version: '0', logger})
  await probe.close({drainMs: 10})
  return probe.port
}

beforeAll(async () => {
  const dir = makeTempHome()
  serverLog = path.join(dir.home, 'served.log')
  writeLog(serverLog, [record('info', 'served by the gateway'), record('warn', 'served warning', 'gateway/ws')])
  server = await startGatewayServer({hosts: ['127.0.0.1'], port: 0, auth: {mode: 'token', token: TOKEN}, version: '9.9.9', logger, logFile: () => serverLog})
})
afterAll(async () => {
  await server.close({drainMs: 100})
})
beforeEach(() => {
  t = makeTempHome()
  // A logging.file inside the temp HOME keeps the tests off the shared /tmp/openclaw.
  logFile = path.join(t.home, 'logs', 'openclaw.log')
  mkdirSync(t.stateDir, {recursive: true})
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify({logging: {file: logFile}}))
})
afterEach(() => t.cleanup())

describe('openclaw logs (real binary)', () => {
  it('no log file yet: exit 1 with the message and LOG_FILE_MISSING', async () => {
    const r = await runCli(['logs', '--local'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`Error (LOG_FILE_MISSING): No log file at ${logFile} yet; the gateway creates it when it starts`)
    const j = await runCli(['logs', '--port', String(await closedPort()), '--json'], {env: t.env})
    expect(j.code).toBe(1)
    expect(j.json).toMatchObject({ok: false, error: {code: 'LOG_FILE_MISSING', exitCode: 1}})
  })

  it('--local --json: the envelope with parsed lines', async () => {
    writeLog(logFile, [record('info', 'gateway listening'), 'a raw line', record('error', 'telegram down', 'telegram/default')])
    const r = await runCli(['logs', '--local', '--json'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, warnings: [], result: {source: 'local', file: logFile, truncated: false, cursor: expect.any(Number)}})
    expect(r.json.result.lines.slice(0, 3)).toEqual([
      {time: '2026-05-01T10:15:00.123+02:00', level: 'info', subsystem: 'gateway', message: 'gateway listening', raw: record('info', 'gateway listening')},
      {time: null, level: null, subsystem: null, message: 'a raw line', raw: 'a raw line'},
      {time: '2026-05-01T10:15:00.123+02:00', level: 'error', subsystem: 'telegram/default', message: 'telegram down', raw: record('error', 'telegram down', 'telegram/default')},
    ])
  })

  it('human output: header on stderr, HH:MM:SS.mmm LEVEL subsystem message on stdout, --utc and --level', async () => {
    writeLog(logFile, [record('info', 'hello'), record('warn', 'careful'), 'unparsable'])
    const r = await runCli(['logs', '--local', '--utc', '--level', 'warn'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`Log file: ${logFile} (local)\n`)
    expect(r.stdout).toBe('08:15:00.123 WARN  gateway careful\n')
    const all = await runCli(['logs', '--file', logFile, '--utc', '-n', '2'], {env: t.env})
    expect(all.stdout).toBe('08:15:00.123 WARN  gateway careful\nunparsable\n')
    // -n 2 asked for the last two lines: that is a tail, not a truncation worth a notice (issue 9 item 12).
    expect(all.stderr).toBe(`Log file: ${logFile} (local)\n`)
  })

  it('with no gateway at the implicit loopback target, reads the local file', async () => {
    writeLog(logFile, [record('info', 'local line')])
    const r = await runCli(['logs', '--port', String(await closedPort()), '--json'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({source: 'local', file: logFile, lines: [{message: 'local line'}]})
  })

  it('--json via the gateway (logs.tail)', async () => {
    writeLog(logFile, [record('info', 'local line')])
    const r = await runCli(['logs', '--url', `ws://127.0.0.1:${server.port}`, '--token', TOKEN, '--json'], {env: t.env})
    expect(r.code).toBe(0)
    expect(r.json.result).toMatchObject({source: 'gateway', file: serverLog, truncated: false})
    expect(r.json.result.lines.map((l: {message: string}) => l.message)).toEqual(['served by the gateway', 'served warning'])
    const human = await runCli(['logs', '--port', String(server.port), '--token', TOKEN], {env: t.env})
    expect(human.stderr).toBe(`Log file: ${serverLog} (via gateway)\n`)
    expect(human.stdout).toMatch(/^\d\d:\d\d:\d\d\.123 INFO {2}gateway served by the gateway\n\d\d:\d\d:\d\d\.123 WARN {2}gateway\/ws served warning\n$/)
  })

  it('an explicit target is never replaced by the local file', async () => {
    writeLog(logFile, [record('info', 'local line')])
    const r = await runCli(['logs', '--url', `ws://127.0.0.1:${await closedPort()}`, '--token', TOKEN, '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, error: {code: 'GATEWAY_UNREACHABLE', type: 'gateway_transport_error'}})
  })

  it('--follow --json: JSON Lines (meta, then log lines as they come); Ctrl-C exits 0', async () => {
    writeLog(logFile, [record('info', 'first')])
    const child = spawn(process.execPath, [binPath, 'logs', '--local', '--follow', '--json', '--interval', '50'], {env: t.env, cwd: t.home, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 10_000
      while (!stdout.includes(text)) {
        if (Date.now() > deadline) throw new Error(`no ${text} in ${stdout}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    try {
      await waitFor('"first"')
      appendFileSync(logFile, record('warn', 'second') + '\n')
      await waitFor('"second"')
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines[0]).toEqual({type: 'meta', source: 'local', file: logFile, cursor: Buffer.byteLength(record('info', 'first') + '\n')})
    expect(lines.slice(1)).toEqual([
      {type: 'log', time: '2026-05-01T10:15:00.123+02:00', level: 'info', subsystem: 'gateway', message: 'first', raw: record('info', 'first')},
      {type: 'log', time: '2026-05-01T10:15:00.123+02:00', level: 'warn', subsystem: 'gateway', message: 'second', raw: record('warn', 'second')},
    ])
  })

  it('--follow --json: a fatal problem is one error line and exit 1', async () => {
    const r = await runCli(['logs', '--local', '-f', '--json'], {env: t.env})
    expect(r.code).toBe(1)
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([{type: 'error', code: 'LOG_FILE_MISSING', message: `No log file at ${logFile} yet; the gateway creates it when it starts`}])
  })
})
