import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach} from 'vitest'

import {resolveTelegramAccounts} from '../../../../src/runtime/channels/telegram/accounts.js'
import {TelegramAccountRunner, type AccountRunnerDeps, type IncomingUpdate} from '../../../../src/runtime/channels/telegram/account-runner.js'
import type {TelegramLog} from '../../../../src/runtime/channels/telegram/account-status.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {ConfigSchema} from '../../../../src/runtime/config/schema/root.js'
import {startFakeTelegram, type FakeBotInfo, type FakeTelegram} from '../../../fakes/telegram-api/index.js'

export const TOKEN_A = '111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
export const TOKEN_B = '222222:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'
export const BOTS = [{token: TOKEN_A, id: 111111, username: 'alpha_bot'}, {token: TOKEN_B, id: 222222, username: 'workbot'}]

export interface LogLine {level: string; message: string; fields?: Record<string, unknown>}
export function recordingLog(): TelegramLog & {lines: LogLine[]} {
  const lines: LogLine[] = []
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({level, message, fields})
  return {lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error')}
}

export function tempDirs(): {stateDir: string; machineDir: string; cleanup(): void} {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oc-tg-'))
  return {stateDir: path.join(root, 'state'), machineDir: path.join(root, 'machine'), cleanup: () => rmSync(root, {recursive: true, force: true})}
}

/**
 * The per-test set-up of the channel tests: a fake Bot API with `bots` and fresh temp dirs before
 * each test; after it, whatever `stopAfter` registered (channels, runners) stops, newest first,
 * then the fake closes and the dirs go. `fake` and `dirs` are the current test's.
 */
export function channelFixture(bots: FakeBotInfo[] = BOTS): {readonly fake: FakeTelegram; readonly dirs: ReturnType<typeof tempDirs>; stopAfter<T extends {stop(): Promise<unknown>}>(target: T): T} {
  let fake: FakeTelegram | undefined
  let dirs: ReturnType<typeof tempDirs> | undefined
  const stops: Array<() => Promise<unknown>> = []
  beforeEach(async () => {
    fake = await startFakeTelegram({bots})
    dirs = tempDirs()
  })
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop()
    await fake?.close()
    dirs?.cleanup()
  })
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('channelFixture: only inside a test')
    return value
  }
  return {
    get fake() {
      return current(fake)
    },
    get dirs() {
      return current(dirs)
    },
    stopAfter(target) {
      stops.push(() => target.stop())
      return target
    },
  }
}

export function parseConfig(telegram: Record<string, unknown>): Config {
  return ConfigSchema.parse({channels: {telegram}}) as Config
}

export function makeRunner(options: {apiRoot: string; token?: string; stateDir: string; machineDir: string; log?: TelegramLog; handle?: (incoming: IncomingUpdate) => Promise<void>; extra?: Partial<AccountRunnerDeps>; settings?: Record<string, unknown>}): TelegramAccountRunner {
  const config = parseConfig({botToken: options.token ?? TOKEN_A, apiRoot: options.apiRoot, ...options.settings})
  const [account] = resolveTelegramAccounts(config, {}, {home: '/nonexistent', stateDir: options.stateDir}, () => ({text: '', mode: 0o600}))
  return new TelegramAccountRunner({
    account,
    stateDir: options.stateDir,
    machineDir: options.machineDir,
    log: options.log ?? recordingLog(),
    handle: options.handle ?? (async () => {}),
    commands: [{command: 'help', description: 'Help'}],
    timing: {backoffMinMs: 10, backoffMaxMs: 50, pollTimeoutSec: 1, pollDeadlineMs: 3000, lockRetryMs: 60_000},
    ...options.extra,
  })
}

export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}
