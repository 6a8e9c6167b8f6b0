import {describe, expect, it} from 'vitest'

import type {AccountSnapshot} from '../../../src/runtime/channels/adapter.js'
import {renderChannelsStatus} from '../../../src/ui/render-channels.js'

const account = (over: Partial<AccountSnapshot>): AccountSnapshot => ({
  channel: 'telegram', accountId: 'default', name: null, enabled: true, configured: true, tokenSource: 'config', running: true, connected: true, mode: 'polling',
  botId: '1', botUsername: 'b', privacyMode: true, lastStartAt: null, lastPollAt: null, lastInboundAt: null, lastOutboundAt: null,
  lastError: null, lastErrorCode: null, lastErrorAt: null, pollingConflict: false, lockHolder: null, webhookUrl: null, pendingUpdateCount: null,
  pendingPairings: 0, skipped: {}, lastSkip: null, ...over,
})

describe('channels status (human): state, last error and the hint of telegram.md §11', () => {
  it.each([
    ['healthy', {}, ['telegram  default  enabled  polling  token: config  connected']],
    ['409 conflict', {connected: false, pollingConflict: true, lastErrorCode: 'TELEGRAM_CONFLICT', lastError: '409 Conflict: another process is polling this bot token'},
      ['telegram  default  enabled  polling  token: config  conflict\n  409 Conflict: another process is polling this bot token\n  hint: stop the other poller, or revoke the token in @BotFather with /revoke']],
    ['token lock', {running: false, connected: false, lockHolder: {pid: 4242, hostname: 'h'}, lastErrorCode: 'TELEGRAM_TOKEN_LOCKED', lastError: 'another openclaw process (pid 4242) is already using this bot token'},
      ['telegram  default  enabled  polling  token: config  not running\n  another openclaw process (pid 4242) is already using this bot token\n  hint: another openclaw process on this machine uses this token (pid 4242)']],
    ['rejected token', {running: false, connected: false, lastErrorCode: 'TELEGRAM_TOKEN_REJECTED', lastError: '401 Unauthorized'},
      ['telegram  default  enabled  polling  token: config  not running\n  401 Unauthorized\n  hint: check the token with @BotFather']],
    ['a message that names its hint already gets no second line', {running: false, connected: false, lastErrorCode: 'TELEGRAM_TOKEN_REJECTED', lastError: 'Telegram rejected the bot token (401 Unauthorized); check the token with @BotFather'},
      ['telegram  default  enabled  polling  token: config  not running\n  Telegram rejected the bot token (401 Unauthorized); check the token with @BotFather']],
    ['another error: no hint', {connected: false, lastErrorCode: 'TELEGRAM_UNAVAILABLE', lastError: 'network down'}, ['telegram  default  enabled  polling  token: config  running\n  network down']],
  ] as Array<[string, Partial<AccountSnapshot>, string[]]>)('%s', (_name, over, lines) => {
    expect(renderChannelsStatus([account(over)])).toEqual(lines)
  })

  it('no accounts: how to add one', () => {
    expect(renderChannelsStatus([])).toBe('No channels configured. Add one: openclaw channels add --channel telegram --token <token>')
  })
})
