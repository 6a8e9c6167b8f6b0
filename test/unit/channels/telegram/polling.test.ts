import {readFileSync, writeFileSync, mkdirSync, existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {IncomingUpdate} from '../../../../src/runtime/channels/telegram/account-runner.js'
import {offsetFile} from '../../../../src/runtime/channels/telegram/offset-store.js'
import {channelFixture, makeRunner, recordingLog, tempDirs, until} from './harness.js'

const fx = channelFixture()

describe('telegram long polling', () => {
  it('passes updates in order, persists the offset, and a restart continues after it with no 409', async () => {
    const seen: number[] = []
    const handle = async (incoming: IncomingUpdate) => void seen.push(incoming.update.update_id)
    const log = recordingLog()
    const first = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle, log})
    await first.start()
    expect(first.status.botUsername).toBe('alpha_bot')
    const a = fx.fake.dm({from: {id: 7}, text: 'one'})
    const b = fx.fake.dm({from: {id: 7}, text: 'two'})
    await until(() => seen.length === 2)
    await first.stop()
    const stored = JSON.parse(readFileSync(offsetFile(fx.dirs.stateDir, 'default'), 'utf8'))
    expect(stored).toMatchObject({version: 1, botId: '111111', committedUpdateId: b.update_id})
    const c = fx.fake.dm({from: {id: 7}, text: 'three'})
    const second = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle, log})
    await second.start()
    await until(() => seen.length === 3)
    await second.stop()
    expect(seen).toEqual([a.update_id, b.update_id, c.update_id])
    // The only 409s are the ones the stop call gives to our own aborted long poll: no poller saw one.
    expect(log.lines.filter((line) => line.message.includes('409'))).toEqual([])
    expect(second.status.lastError).toBeNull()
    expect(fx.fake.peakPollers()).toBe(1)
    expect(fx.fake.calls('setMyCommands')).toHaveLength(2)
  })

  it('a second runner on the same token (another state dir) reports the lock holder and never polls', async () => {
    const first = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs})
    await first.start()
    await fx.fake.waitFor('getUpdates')
    const other = tempDirs()
    const second = makeRunner({apiRoot: fx.fake.apiRoot, stateDir: other.stateDir, machineDir: fx.dirs.machineDir})
    await second.start()
    expect(second.status.running).toBe(false)
    expect(second.status.lockHolder).toEqual({pid: process.pid, hostname: expect.any(String)})
    expect(second.status.lastError).toBe(`another openclaw process (pid ${process.pid}) is already using this bot token`)
    await first.stop()
    await second.stop()
    other.cleanup()
    expect(fx.fake.calls('getMe')).toHaveLength(1)
    expect(fx.fake.peakPollers()).toBeLessThanOrEqual(1)
  })

  it('a 409 sets pollingConflict and the exact lastError; the next good poll clears both', async () => {
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs})
    fx.fake.failNext('getUpdates', {error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'}, {times: 3})
    await runner.start()
    await until(() => runner.status.pollingConflict)
    expect(runner.status.lastError).toBe('409 Conflict: another process is polling this bot token')
    expect(runner.status.lastErrorCode).toBe('TELEGRAM_CONFLICT')
    expect(runner.status.connected).toBe(false)
    await until(() => !runner.status.pollingConflict)
    expect(runner.status.lastError).toBeNull()
    expect(runner.status.connected).toBe(true)
    await runner.stop()
  })

  it('a 401 on getMe gives TELEGRAM_TOKEN_REJECTED after one call and releases the lock', async () => {
    const unknown = '333333:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC'
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, token: unknown})
    await runner.start()
    expect(runner.status.lastErrorCode).toBe('TELEGRAM_TOKEN_REJECTED')
    expect(runner.status.lastError).toContain('check the token with @BotFather')
    expect(runner.status.running).toBe(false)
    const again = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, token: unknown})
    await again.start()
    expect(again.status.lockHolder).toBeNull()
    expect(fx.fake.calls()).toHaveLength(0) // 401s are answered before the record (unknown token)
  })

  it('every update of the first batch after a start is flagged maybeDone (the batch a crash may have left half handled); later ones are not', async () => {
    const flags: Array<[number, boolean]> = []
    const first = fx.fake.dm({from: {id: 7}, text: 'one'})
    const second = fx.fake.dm({from: {id: 8}, text: 'two'})
    // An offset file from before the crash that lags behind (it is written after each batch, not before).
    mkdirSync(path.dirname(offsetFile(fx.dirs.stateDir, 'default')), {recursive: true})
    writeFileSync(offsetFile(fx.dirs.stateDir, 'default'), JSON.stringify({version: 1, botId: '111111', committedUpdateId: first.update_id - 5, fetchedUpdateId: first.update_id - 1, updatedAt: ''}))
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle: async (i) => void flags.push([i.update.update_id, i.maybeDone])})
    await runner.start()
    await until(() => flags.length === 2)
    const third = fx.fake.dm({from: {id: 7}, text: 'three'})
    await until(() => flags.length === 3)
    await runner.stop()
    expect(flags).toEqual([[first.update_id, true], [second.update_id, true], [third.update_id, false]])
    expect(JSON.parse(readFileSync(offsetFile(fx.dirs.stateDir, 'default'), 'utf8'))).toMatchObject({committedUpdateId: third.update_id, fetchedUpdateId: third.update_id})
  })

  it('an empty first poll leaves nothing flagged: Telegram held no unconfirmed update', async () => {
    const flags: Array<[number, boolean]> = []
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle: async (i) => void flags.push([i.update.update_id, i.maybeDone])})
    await runner.start()
    await until(() => fx.fake.calls('getUpdates').length >= 1)
    const late = fx.fake.dm({from: {id: 7}, text: 'after the first poll'})
    await until(() => flags.length === 1)
    await runner.stop()
    expect(flags).toEqual([[late.update_id, false]])
  })

  it('writes the offsets after each batch without being awaited, so the file follows the committed id while running', async () => {
    const seen: number[] = []
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle: async (i) => void seen.push(i.update.update_id)})
    await runner.start()
    const a = fx.fake.dm({from: {id: 7}, text: 'one'})
    await until(() => seen.length === 1)
    await until(() => {
      try {
        return JSON.parse(readFileSync(offsetFile(fx.dirs.stateDir, 'default'), 'utf8')).committedUpdateId === a.update_id
      } catch {
        return false
      }
    })
    await runner.stop()
  })

  it('a handler failure stops at that update and retries it; it never skips ahead', async () => {
    const log = recordingLog()
    let failures = 2
    const seen: string[] = []
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, log, handle: async (i) => {
      if (i.update.message?.text === 'one' && failures-- > 0) throw new Error('disk full')
      seen.push(i.update.message!.text!)
    }})
    fx.fake.dm({from: {id: 7}, text: 'one'})
    fx.fake.dm({from: {id: 7}, text: 'two'})
    await runner.start()
    await until(() => seen.length === 2)
    await runner.stop()
    expect(seen).toEqual(['one', 'two'])
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(2)
    expect(existsSync(offsetFile(fx.dirs.stateDir, 'default'))).toBe(true)
  })

  it('chats of one batch are accepted in parallel, each chat in order; the offset only covers a gap-free prefix', async () => {
    const seen: string[] = []
    let releaseSlow!: () => void
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve))
    const runner = makeRunner({apiRoot: fx.fake.apiRoot, ...fx.dirs, handle: async (i) => {
      const text = i.update.message!.text!
      if (text === 'a1') await slow
      seen.push(text)
    }})
    const a1 = fx.fake.dm({from: {id: 1}, text: 'a1'})
    fx.fake.dm({from: {id: 1}, text: 'a2'})
    fx.fake.dm({from: {id: 2}, text: 'b1'})
    const b2 = fx.fake.dm({from: {id: 2}, text: 'b2'})
    await runner.start()
    // Chat 2 is done while chat 1 waits on its first update; nothing past a1 counts as committed.
    await until(() => seen.length === 2)
    expect(seen).toEqual(['b1', 'b2'])
    const committed = (runner as unknown as {offsets: {committed: number | null}}).offsets.committed
    expect(committed === null || committed < a1.update_id).toBe(true)
    releaseSlow()
    await until(() => seen.length === 4)
    expect(seen).toEqual(['b1', 'b2', 'a1', 'a2'])
    await runner.stop()
    expect(JSON.parse(readFileSync(offsetFile(fx.dirs.stateDir, 'default'), 'utf8')).committedUpdateId).toBe(b2.update_id)
    expect(b2.update_id).toBeGreaterThan(a1.update_id)
  })
})
