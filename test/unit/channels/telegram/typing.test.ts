import {GrammyError, type Api} from 'grammy'
import {describe, expect, it} from 'vitest'

import {DeliverySession, TYPING_DELAY_MS, type TypingClock} from '../../../../src/runtime/channels/telegram/outbound/delivery-session.js'
import {parseConfig, recordingLog, TOKEN_A} from './harness.js'
import {resolveTelegramAccounts} from '../../../../src/runtime/channels/telegram/accounts.js'

/** A manual clock: `advance` fires due timers in order. */
function manualClock(): TypingClock & {advance(ms: number): void; pending(): number} {
  let now = 0
  let timers: Array<{at: number; fn: () => void; id: number}> = []
  let ids = 0
  return {
    now: () => now,
    setTimeout: (fn, ms) => (timers.push({at: now + ms, fn, id: ++ids}), ids),
    clearTimeout: (id) => void (timers = timers.filter((t) => t.id !== id)),
    pending: () => timers.length,
    advance(ms) {
      const end = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.fn()
      }
      now = end
    },
  }
}

/** An Api stand-in recording sendChatAction (the typing loop's only call) and answering `answer()`. */
function recordingApi(answer: () => Promise<unknown> = async () => true) {
  const actions: Array<{at: number; chatId: string; action: string; other: unknown}> = []
  let clock: TypingClock | undefined
  const api = {
    sendChatAction: (chatId: string, action: string, other: unknown) => (actions.push({at: clock?.now() ?? -1, chatId, action, other}), answer()),
    sendMessage: async () => ({message_id: 1}),
  } as unknown as Api
  return {api, actions, setClock: (c: TypingClock) => (clock = c)}
}

function session(api: Api, clock: TypingClock, threadId?: string) {
  const [account] = resolveTelegramAccounts(parseConfig({botToken: TOKEN_A, streaming: 'off'}), {}, {home: '/none', stateDir: '/none'}, () => ({text: '', mode: 0o600}))
  return new DeliverySession(api, {chatId: '42', ...(threadId ? {threadId} : {}), replyToMessageId: 7}, account.settings, {log: recordingLog(), streaming: 'off', onSent: () => undefined, mayReplyError: () => true, clock})
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('typing indicator while a turn runs (telegram.md §10.4)', () => {
  it('sends typing once the turn has run TYPING_DELAY_MS, then every 5 s, and stops at the final', async () => {
    const clock = manualClock()
    const {api, actions, setClock} = recordingApi()
    setClock(clock)
    const s = session(api, clock, '9')
    s.typing()
    s.typing() // a second admission signal does not start a second loop
    clock.advance(TYPING_DELAY_MS - 1)
    expect(actions).toEqual([])
    clock.advance(12_001 - TYPING_DELAY_MS)
    expect(actions.map((a) => a.at)).toEqual([TYPING_DELAY_MS, TYPING_DELAY_MS + 5000, TYPING_DELAY_MS + 10_000])
    expect(actions[0]).toMatchObject({chatId: '42', action: 'typing', other: {message_thread_id: 9}})
    await s.final({text: 'done'})
    expect(s.isTyping()).toBe(false)
    clock.advance(20_000)
    expect(actions).toHaveLength(3)
    expect(clock.pending()).toBe(0)
  })

  it('a turn that ends before the delay sends no typing at all', async () => {
    const clock = manualClock()
    const {api, actions, setClock} = recordingApi()
    setClock(clock)
    const s = session(api, clock)
    s.typing()
    clock.advance(TYPING_DELAY_MS / 2)
    await s.final({text: 'quick'})
    expect(s.isTyping()).toBe(false)
    clock.advance(30_000)
    expect(actions).toEqual([])
    expect(clock.pending()).toBe(0)
  })

  it('stops at an error reply too', async () => {
    const clock = manualClock()
    const {api, actions, setClock} = recordingApi()
    setClock(clock)
    const s = session(api, clock)
    s.typing()
    clock.advance(TYPING_DELAY_MS + 5000)
    await s.error('no model')
    clock.advance(30_000)
    expect(actions).toHaveLength(2)
  })

  it('a 429 pauses typing for retry_after; a 403 ends it', async () => {
    const clock = manualClock()
    let answer: () => Promise<unknown> = async () => {
      throw new GrammyError('Call to sendChatAction failed!', {ok: false, error_code: 429, description: 'Too Many Requests: retry after 12', parameters: {retry_after: 12}}, 'sendChatAction', {})
    }
    const {api, actions, setClock} = recordingApi(() => answer())
    setClock(clock)
    const s = session(api, clock)
    s.typing()
    clock.advance(TYPING_DELAY_MS)
    await settle()
    answer = async () => true
    clock.advance(15_000)
    // +5 s and +10 s fall inside the 12 s pause; +15 s is the next one after it.
    const d = TYPING_DELAY_MS
    expect(actions.map((a) => a.at)).toEqual([d, d + 15_000])
    answer = async () => {
      throw new GrammyError('Call to sendChatAction failed!', {ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user'}, 'sendChatAction', {})
    }
    clock.advance(5000)
    await settle()
    clock.advance(30_000)
    expect(actions.map((a) => a.at)).toEqual([d, d + 15_000, d + 20_000])
    expect(s.isTyping()).toBe(false)
  })
})
