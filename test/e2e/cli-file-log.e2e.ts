import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
let logFile: string
beforeEach(() => {
  t = makeTempHome()
  logFile = path.join(t.home, 'cli.log')
  mkdirSync(t.stateDir, {recursive: true})
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), JSON.stringify({logging: {file: logFile}, gateway: {auth: {token: 'very-secret-token-123'}}}))
})
afterEach(() => t.cleanup())

const records = () => readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))

describe('CLI commands in the shared file log (subsystem cli)', () => {
  it('logs a written change at info, with paths only', async () => {
    expect((await runCli(['config', 'set', 'gateway.port', '19000'], {env: t.env})).code).toBe(0)
    const [record] = records()
    expect(record).toMatchObject({level: 'info', subsystem: 'cli', message: 'config set: updated gateway.port (reload: restart)'})
  })

  it('logs a failure at warn with its code and issues, secrets redacted', async () => {
    expect((await runCli(['config', 'set', 'gateway.auth.mode', 'very-secret-token-123'], {env: t.env})).code).toBe(1)
    const [record] = records()
    expect(record.level).toBe('warn')
    expect(record.message).toContain('openclaw config set failed: CONFIG_EDIT_REFUSED')
    expect(record.message).toContain('gateway.auth.mode')
    expect(JSON.stringify(record)).not.toContain('very-secret-token-123')
  })

  it('writes nothing for read-only commands (even failing ones), no-ops and dry runs', async () => {
    await runCli(['config', 'get', 'gateway.port'], {env: t.env})
    expect((await runCli(['config', 'get', 'gateway.nothere'], {env: t.env})).code).toBe(1)
    await runCli(['config', 'set', 'gateway.port', '19000', '--dry-run'], {env: t.env})
    await runCli(['config', 'unset', 'gateway.bind', '--if-exists'], {env: t.env})
    expect(existsSync(logFile)).toBe(false)
  })
})
