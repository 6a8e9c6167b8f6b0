import {describe, expect, it} from 'vitest'

import type {ChannelRuntime} from '../../../../src/runtime/channels/telegram/runtime-seam.js'
import {TelegramChannel} from '../../../../src/runtime/channels/telegram/telegram-channel.js'
import {BOTS, channelFixture, parseConfig, recordingLog, TOKEN_A, TOKEN_B, until} from './harness.js'

const TOKEN_C = '333333:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC'
const A = 111111
const B = 222222
const C = 333333

const fx = channelFixture([...BOTS, {token: TOKEN_C, id: C, username: 'third_bot'}])

function open(accounts: Record<string, Record<string, unknown>>) {
  const texts: string[] = []
  const runtime: ChannelRuntime = {
    async dispatchInbound(envelope, sink) {
      texts.push(`${envelope.accountId}:${envelope.text}`)
      void sink.final({text: `echo ${envelope.text}`})
      return {runId: `r${texts.length}`, sessionKey: `agent:main:${envelope.peer.id}`, agentId: 'main', queued: false}
    },
    isCommitted: async () => false,
  }
  const config = (next: Record<string, Record<string, unknown>>) => parseConfig({apiRoot: fx.fake.apiRoot, dmPolicy: 'open', allowFrom: ['*'], streaming: 'off', accounts: next})
  const channel = fx.stopAfter(new TelegramChannel({
    config: config(accounts), env: {}, paths: {home: fx.dirs.stateDir, stateDir: fx.dirs.stateDir}, runtime,
    logFor: () => recordingLog(), machineDir: fx.dirs.machineDir, timing: {backoffMinMs: 10, backoffMaxMs: 50, pollTimeoutSec: 1},
  }))
  return {channel, texts, config}
}

/** Polls of one bot that the client gave up on (an aborted long poll = a stop of that account). */
const abortedPolls = (botId: number) => fx.fake.calls('getUpdates', botId).filter((c) => c.clientGone === true || !c.ok)

describe('telegram per-account reload', () => {
  it('a change to account b restarts only b; a keeps its poll loop and loses or repeats no update', async () => {
    const {channel, texts, config} = open({a: {botToken: TOKEN_A}, b: {botToken: TOKEN_B}})
    await channel.start()
    await fx.fake.waitFor('getUpdates', (c) => c.botId === B)
    fx.fake.dm({from: {id: 5}, text: 'a1', botId: A})
    await until(() => texts.includes('a:a1'))
    const reload = channel.reconfigure(config({a: {botToken: TOKEN_A}, b: {botToken: TOKEN_B, replyToMode: 'first'}}))
    // Updates for a keep flowing while b is stopped and started again.
    fx.fake.dm({from: {id: 5}, text: 'a2', botId: A})
    expect(await reload).toEqual({started: [], stopped: [], restarted: ['b'], unchanged: ['a']})
    fx.fake.dm({from: {id: 5}, text: 'a3', botId: A})
    fx.fake.dm({from: {id: 6}, text: 'b1', botId: B})
    await until(() => texts.includes('a:a3') && texts.includes('b:b1'))
    expect(texts.filter((t) => t.startsWith('a:'))).toEqual(['a:a1', 'a:a2', 'a:a3'])
    expect(fx.fake.calls('getMe', A)).toHaveLength(1)
    expect(fx.fake.calls('getMe', B)).toHaveLength(2)
    expect(abortedPolls(A)).toEqual([])
    expect(fx.fake.peakPollers(A)).toBe(1)
    expect(fx.fake.peakPollers(B)).toBe(1)
    const status = await channel.status()
    expect(status.map((s) => [s.accountId, s.running])).toEqual([['a', true], ['b', true]])
  })

  it('adding c starts just c and removing b stops just b', async () => {
    const {channel, texts, config} = open({a: {botToken: TOKEN_A}, b: {botToken: TOKEN_B}})
    await channel.start()
    await fx.fake.waitFor('getUpdates', (c) => c.botId === B)
    const report = await channel.reconfigure(config({a: {botToken: TOKEN_A}, c: {botToken: TOKEN_C}}))
    expect(report).toEqual({started: ['c'], stopped: ['b'], restarted: [], unchanged: ['a']})
    fx.fake.dm({from: {id: 5}, text: 'to c', botId: C})
    fx.fake.dm({from: {id: 5}, text: 'to a', botId: A})
    await until(() => texts.includes('c:to c') && texts.includes('a:to a'))
    expect((await channel.status()).map((s) => s.accountId)).toEqual(['a', 'c'])
    expect(abortedPolls(A)).toEqual([])
    expect(fx.fake.calls('getMe', A)).toHaveLength(1)
    // b got its graceful stop: its last call is the short confirming poll, and nothing polls it afterwards.
    const bPolls = fx.fake.calls('getUpdates', B)
    fx.fake.dm({from: {id: 5}, text: 'to b', botId: B})
    await new Promise((r) => setTimeout(r, 150))
    expect(fx.fake.calls('getUpdates', B)).toHaveLength(bPolls.length)
    expect(texts).not.toContain('b:to b')
  })

  it('a token moved from b to a new account d is never polled twice at once', async () => {
    const {channel, texts, config} = open({a: {botToken: TOKEN_A}, b: {botToken: TOKEN_B}})
    await channel.start()
    await fx.fake.waitFor('getUpdates', (c) => c.botId === B)
    const report = await channel.reconfigure(config({a: {botToken: TOKEN_A}, d: {botToken: TOKEN_B}}))
    expect(report).toMatchObject({started: ['d'], stopped: ['b']})
    fx.fake.dm({from: {id: 5}, text: 'moved', botId: B})
    await until(() => texts.includes('d:moved'))
    expect(fx.fake.peakPollers(B)).toBe(1)
    expect((await channel.status()).find((s) => s.accountId === 'd')).toMatchObject({running: true, lockHolder: null, lastError: null})
  })
})
