import {existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {LogLevel} from '../../../src/runtime/logging/levels.js'
import {createLogger, type LoggerOptions} from '../../../src/runtime/logging/logger.js'

const uid = process.getuid?.() ?? null
let root: string
let clock: Date

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-logger-'))
  clock = new Date(2026, 4, 1, 10, 15, 0, 123)
})
afterEach(() => {
  rmSync(root, {recursive: true, force: true})
})

function setup(overrides: Partial<LoggerOptions> = {}) {
  const stderr: string[] = []
  const log = createLogger({
    subsystem: 'gateway',
    env: {},
    file: {profile: null, home: root, stateDir: root, tmpdir: path.join(root, 'tmp'), uid, preferredDir: path.join(root, 'openclaw')},
    console: {stream: {write: (chunk: string) => stderr.push(chunk)}, isTTY: false, color: false},
    now: () => clock,
    pid: 4242,
    ...overrides,
  })
  const file = path.join(root, 'openclaw', 'openclaw-2026-05-01.log')
  const records = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [])
  return {log, stderr, records, file}
}

const ALL: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

describe('createLogger levels', () => {
  it.each<[string, Partial<LoggerOptions>, LogLevel[], LogLevel[]]>([
    ['defaults: info and up everywhere', {}, ['info', 'warn', 'error', 'fatal'], ['info', 'warn', 'error', 'fatal']],
    ['logging.level / consoleLevel', {logging: {level: 'trace', consoleLevel: 'error'}}, ALL, ['error', 'fatal']],
    ['OPENCLAW_LOG_LEVEL beats config', {env: {OPENCLAW_LOG_LEVEL: 'warn'}, logging: {level: 'trace', consoleLevel: 'trace'}}, ['warn', 'error', 'fatal'], ['warn', 'error', 'fatal']],
    ['--verbose: console debug', {verbose: true}, ['info', 'warn', 'error', 'fatal'], ['debug', 'info', 'warn', 'error', 'fatal']],
    ['silent file', {logging: {level: 'silent'}}, [], ['info', 'warn', 'error', 'fatal']],
  ])('%s', (_name, options, fileLevels, consoleLevels) => {
    const {log, stderr, records} = setup(options)
    for (const level of ALL) log[level](`at ${level}`)
    log.close()
    expect(records().map((r) => r.level)).toEqual(fileLevels)
    expect(stderr.map((l) => l.split(' ')[1].toLowerCase())).toEqual(consoleLevels)
  })

  it('diagnostics flags force debug into the file for matching subsystems only', () => {
    const {log, stderr, records} = setup({diagnostics: {flags: ['telegram.*']}, env: {OPENCLAW_DIAGNOSTICS: 'gateway.ws'}})
    log.child('telegram/default').debug('poll')
    log.child('telegram/default').trace('too fine')
    log.child('gateway/ws').debug('frame')
    log.child('gateway/http').debug('hidden')
    log.close()
    expect(records().map((r) => `${r.subsystem} ${r.message}`)).toEqual(['telegram/default poll', 'gateway/ws frame'])
    expect(stderr).toEqual([])
  })

  it('diagnostics.enabled: false ignores the flags', () => {
    const {log, records} = setup({diagnostics: {enabled: false, flags: ['*']}})
    log.debug('nope')
    log.close()
    expect(records()).toEqual([])
  })

  it('isLevelEnabled reflects both sinks and diagnostics', () => {
    const {log} = setup({diagnostics: {flags: ['telegram.*']}})
    expect(log.isLevelEnabled('debug')).toBe(false)
    expect(log.isLevelEnabled('info')).toBe(true)
    expect(log.child('telegram/default').isLevelEnabled('debug')).toBe(true)
    log.close()
    expect(log.isLevelEnabled('fatal')).toBe(false)
  })
})

describe('createLogger records', () => {
  it('writes the JSONL record with fields, ids, data and err; child fields merge', () => {
    const {log, records} = setup()
    const ws = log.child('gateway/ws', {connId: 'c1', data: {remote: '127.0.0.1'}})
    ws.warn('slow client', {bufferedBytes: 2048, data: {limit: 1024}, runId: 'r1'})
    ws.error('send failed', {err: Object.assign(new Error('EPIPE'), {code: 'EPIPE'})})
    log.close()
    const [first, second] = records()
    expect(first).toMatchObject({level: 'warn', subsystem: 'gateway/ws', message: 'slow client', pid: 4242, connId: 'c1', runId: 'r1', data: {remote: '127.0.0.1', limit: 1024, bufferedBytes: 2048}, _meta: {logLevelName: 'WARN', name: 'gateway/ws'}})
    expect(first.time).toMatch(/^2026-05-01T10:15:00\.123[+-]\d\d:\d\d$/)
    expect(second.err).toEqual({name: 'Error', message: 'EPIPE', code: 'EPIPE'})
  })

  it('includes stacks at debug level and for fatal, not otherwise', () => {
    const quiet = setup()
    quiet.log.error('e', {err: new Error('x')})
    quiet.log.fatal('f', {err: new Error('y')})
    quiet.log.close()
    const [error, fatal] = quiet.records()
    expect(error.err.stack).toBeUndefined()
    expect(fatal.err.stack).toContain('Error: y')
    rmSync(quiet.file)
    const loud = setup({logging: {level: 'debug'}})
    loud.log.error('e', {err: new Error('x')})
    loud.log.close()
    expect(loud.records()[0].err.stack).toContain('Error: x')
  })

  it('redacts secrets before every sink: message, data, ids, err', () => {
    const {log, stderr, records, file} = setup({secrets: ['gw-token-abcdef'], logging: {consoleStyle: 'json'}})
    log.info('auth with gw-token-abcdef', {header: 'Bearer abcdefgh12345678', password: 'p4ss', err: new Error('bad gw-token-abcdef')})
    log.close()
    const raw = readFileSync(file, 'utf8')
    expect(raw).not.toContain('gw-token-abcdef')
    expect(raw).not.toContain('abcdefgh12345678')
    expect(raw).not.toContain('p4ss')
    expect(stderr.join('')).toBe(raw)
    expect(records()[0]).toMatchObject({message: 'auth with [redacted]', data: {header: 'Bearer [redacted]', password: '[redacted]'}, err: {message: 'bad [redacted]'}})
  })

  it('console style defaults: pretty on a TTY, compact otherwise', () => {
    const ttyOut: string[] = []
    const tty = setup({console: {stream: {write: (c: string) => ttyOut.push(c)}, isTTY: true, color: false}, file: null})
    tty.log.info('hello')
    const pipe = setup({file: null})
    pipe.log.info('hello')
    expect(ttyOut[0]).toBe('10:15:00.123 INFO  gateway hello\n')
    expect(pipe.stderr[0]).toMatch(/^2026-05-01T10:15:00\.123[+-]\d\d:\d\d INFO gateway: hello\n$/)
  })
})

describe('createLogger reconfigure, errors, close', () => {
  it('applies a reloaded config to the whole family (levels, file, secrets)', () => {
    const {log, records, file} = setup()
    const child = log.child('cli')
    child.debug('before')
    const other = path.join(root, 'custom', 'oc.log')
    log.reconfigure({level: 'debug', file: other}, undefined, ['new-secret-value'])
    child.debug('after new-secret-value')
    log.close()
    expect(records()).toEqual([])
    expect(existsSync(file)).toBe(false)
    expect(JSON.parse(readFileSync(other, 'utf8'))).toMatchObject({subsystem: 'cli', message: 'after [redacted]'})
    expect(log.logFile()).toEqual({file: other, dir: path.dirname(other), dated: false})
  })

  it('reports the default location through logFile()', () => {
    const {log} = setup({file: {profile: 'work', home: root, stateDir: root, tmpdir: root, uid, preferredDir: path.join(root, 'openclaw')}})
    expect(log.logFile()?.file).toBe(path.join(root, 'openclaw', 'openclaw-work-2026-05-01.log'))
  })

  it('warns once on the console when the file log cannot be written, and keeps logging there', () => {
    const target = path.join(root, 'elsewhere')
    symlinkSync(root, path.join(root, 'openclaw'))
    const {log, stderr} = setup({file: {profile: null, home: root, stateDir: root, tmpdir: root, uid: null, preferredDir: path.join(root, 'openclaw')}})
    // uid null: the fallback is <tmpdir>/openclaw-user; make it a symlink too.
    symlinkSync(target, path.join(root, 'openclaw-user'))
    log.info('one')
    log.info('two')
    log.close()
    expect(stderr.filter((l) => l.includes('file log disabled'))).toHaveLength(1)
    expect(stderr.filter((l) => / INFO gateway: (one|two)/.test(l))).toHaveLength(2)
  })

  it('passes file errors to onFileError when given', () => {
    symlinkSync(root, path.join(root, 'openclaw'))
    symlinkSync(root, path.join(root, 'openclaw-user'))
    const codes: string[] = []
    const {log, stderr} = setup({onFileError: (e) => codes.push(e.code), file: {profile: null, home: root, stateDir: root, tmpdir: root, uid: null, preferredDir: path.join(root, 'openclaw')}})
    log.info('x')
    expect(codes).toEqual(['LOG_FILE_UNWRITABLE'])
    expect(stderr.join('')).not.toContain('file log disabled')
  })

  it('ignores calls after close', () => {
    const {log, stderr, records} = setup()
    log.info('kept')
    log.close()
    log.child('x').error('dropped')
    expect(records().map((r) => r.message)).toEqual(['kept'])
    expect(stderr).toHaveLength(1)
  })

  it('throws ENV_INVALID for a bad OPENCLAW_LOG_LEVEL', () => {
    expect(() => setup({env: {OPENCLAW_LOG_LEVEL: 'chatty'}})).toThrow(expect.objectContaining({code: 'ENV_INVALID'}))
  })

  it('formats, redacts and writes 10k lines well under a second', () => {
    const {log, file} = setup({secrets: ['gw-token-abcdef'], console: null})
    const started = performance.now()
    for (let i = 0; i < 10_000; i++) log.info('client connected from 127.0.0.1', {connId: `c${i}`, port: 18789})
    const elapsed = performance.now() - started
    log.close()
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(10_001)
    // ~150 ms quiet; the bound catches per-line pathologies, with slack for a loaded CI machine.
    expect(elapsed).toBeLessThan(2500)
  })
})
