import {describe, expect, it} from 'vitest'

import {createChannelRegistry, type ChannelAdapter} from '../../../src/runtime/channels/adapter.js'
import {classifyTelegramFailure, type TelegramFailure} from '../../../src/runtime/channels/telegram/classify-error.js'

const api = (errorCode: number, description: string, extra: Partial<Extract<TelegramFailure, {kind: 'api'}>> = {}): TelegramFailure => ({kind: 'api', method: 'sendMessage', errorCode, description, ...extra})

describe('classifyTelegramFailure', () => {
  const cases: Array<[string, TelegramFailure, string, string | null]> = [
    ['401 stops the account', api(401, 'Unauthorized'), 'stop-account', 'TELEGRAM_TOKEN_REJECTED'],
    ['409 by another poller', api(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'), 'conflict', 'TELEGRAM_CONFLICT'],
    ['409 by a webhook', api(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"), 'delete-webhook', 'TELEGRAM_CONFLICT'],
    ['429 short waits', api(429, 'Too Many Requests: retry after 2', {retryAfterSec: 2}), 'wait', 'TELEGRAM_RATE_LIMITED'],
    ['429 over 60 s fails', api(429, 'Too Many Requests: retry after 90', {retryAfterSec: 90}), 'fail', 'TELEGRAM_RATE_LIMITED'],
    ['403 blocked', api(403, 'Forbidden: bot was blocked by the user'), 'fail', 'TELEGRAM_BLOCKED'],
    ['403 deactivated', api(403, 'Forbidden: user is deactivated'), 'fail', 'TELEGRAM_BLOCKED'],
    ['403 kicked', api(403, 'Forbidden: bot was kicked from the group chat'), 'fail', 'TELEGRAM_FORBIDDEN'],
    ['400 parse entities', api(400, "Bad Request: can't parse entities: Unsupported start tag \"x\""), 'plain-resend', null],
    ['400 not modified', api(400, 'Bad Request: message is not modified: specified new message content is the same'), 'not-modified', null],
    ['400 edit not found', api(400, 'Bad Request: message to edit not found'), 'send-new', null],
    ['400 migrated', api(400, 'Bad Request: group chat was upgraded to a supergroup chat', {migrateToChatId: -1001}), 'migrate', null],
    ['400 chat not found', api(400, 'Bad Request: chat not found'), 'fail', 'TELEGRAM_CHAT_NOT_FOUND'],
    ['400 thread not found', api(400, 'Bad Request: message thread not found'), 'fail', 'TELEGRAM_CHAT_NOT_FOUND'],
    ['400 other', api(400, 'Bad Request: message is too long'), 'fail', 'TELEGRAM_BAD_REQUEST'],
    ['502 retries', api(502, 'Bad Gateway'), 'retry', 'TELEGRAM_UNAVAILABLE'],
    ['refused retries', {kind: 'network', method: 'sendMessage', message: 'ECONNREFUSED', requestSent: false}, 'retry', 'TELEGRAM_UNAVAILABLE'],
    ['reset after write is uncertain', {kind: 'network', method: 'sendMessage', message: 'ECONNRESET', requestSent: true}, 'uncertain', 'TELEGRAM_UNAVAILABLE'],
  ]
  it.each(cases)('%s', (_name, failure, action, code) => {
    const result = classifyTelegramFailure(failure)
    expect(result.action).toBe(action)
    expect(result.code).toBe(code)
  })

  it('gives the rejected token its @BotFather hint and 429 its wait', () => {
    expect(classifyTelegramFailure(api(401, 'Unauthorized')).hint).toEqual(['check the token with @BotFather'])
    expect(classifyTelegramFailure(api(429, 'Too Many Requests', {retryAfterSec: 2})).retryAfterMs).toBe(2000)
    expect(classifyTelegramFailure(api(409, 'Conflict: terminated by other getUpdates request')).message).toBe('409 Conflict: another process is polling this bot token')
  })
})

describe('createChannelRegistry', () => {
  const adapter = (channel: string): ChannelAdapter => ({channel, start: async () => {}, stop: async () => {}, send: async () => ({channel, accountId: 'default', chatId: '1', messageIds: []}), status: async () => []})
  it('finds adapters by normalized name and refuses a second one', () => {
    const registry = createChannelRegistry()
    registry.register(adapter('telegram'))
    expect(registry.get(' Telegram ')?.channel).toBe('telegram')
    expect(() => registry.register(adapter('telegram'))).toThrow(/registered twice/)
    expect(registry.list()).toHaveLength(1)
  })
})
