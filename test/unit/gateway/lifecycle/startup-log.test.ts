import {describe, expect, it} from 'vitest'

import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {
  agentModelLine, authLine, channelAccountsOf, channelsLine, configLine, listeningLine, readyLine, reloadedLine, reloadSkippedLine, restartNeededLine, startingLine, type ChannelAccountState,
} from '../../../../src/runtime/gateway/lifecycle/startup-log.js'

const cfg = (tree: Record<string, unknown>) => ({agents: {defaults: {}, list: []}, channels: {}, ...tree}) as unknown as Config

const acct = (accountId: string, over: Partial<ChannelAccountState> = {}): ChannelAccountState => ({channel: 'telegram', accountId, enabled: true, lastError: null, lastErrorCode: null, ...over})

describe('startup log lines (operations.md §3.1)', () => {
  it.each([
    [startingLine('0.4.0', 'v22.11.0', 4242, null), 'openclaw 0.4.0 starting (node v22.11.0, pid 4242, profile default)'],
    [startingLine('0.4.0', 'v22.11.0', 4242, 'work'), 'openclaw 0.4.0 starting (node v22.11.0, pid 4242, profile work)'],
    [configLine('/home/ana/.openclaw/openclaw.json', true), 'config: /home/ana/.openclaw/openclaw.json'],
    [configLine('/home/ana/.openclaw/openclaw.json', false), 'config: none (defaults)'],
    [authLine({mode: 'token', token: 't', tokenSource: 'config'}), 'auth: token (from config, sha256:e3b98a4d)'],
    [authLine({mode: 'token', token: 't', tokenSource: 'flag'}), 'auth: token (from --token, sha256:e3b98a4d)'],
    [authLine({mode: 'password', password: 'p', passwordSource: 'env'}), 'auth: password (from OPENCLAW_GATEWAY_PASSWORD, sha256:148de9c5)'],
    [authLine({mode: 'none'}), 'auth: none (loopback only)'],
    [listeningLine(['127.0.0.1'], 18789), 'listening on ws://127.0.0.1:18789 (http + ws)'],
    [listeningLine(['127.0.0.1', '::1'], 18789), 'listening on ws://127.0.0.1:18789, ws://[::1]:18789 (http + ws)'],
    [agentModelLine(null), 'agent model: not configured'],
    [agentModelLine(cfg({agents: {defaults: {model: 'anthropic/claude-sonnet-4-5'}, list: []}})), 'agent model: anthropic/claude-sonnet-4-5 (default agent main)'],
    [agentModelLine(cfg({agents: {defaults: {model: {primary: 'a/b', fallbacks: []}}, list: [{id: 'x'}, {id: 'ops', default: true, model: 'c/d'}]}})), 'agent model: c/d (default agent ops)'],
    [agentModelLine(cfg({agents: {defaults: {model: {primary: 'a/b', fallbacks: []}}, list: [{id: 'x'}]}})), 'agent model: a/b (default agent x)'],
    [channelsLine([]), 'channels: none configured'],
    [channelsLine([acct('default'), acct('work')]), 'channels: starting telegram:default, telegram:work'],
    [channelsLine([acct('default'), acct('bad', {lastError: 'token looks wrong', lastErrorCode: 'TELEGRAM_TOKEN_INVALID'}), acct('old', {enabled: false})]), 'channels: starting telegram:default; not started: telegram:bad (TELEGRAM_TOKEN_INVALID); disabled: telegram:old'],
    [channelsLine([acct('bad', {lastError: 'no bot token', lastErrorCode: null})]), 'channels: none started; not started: telegram:bad (no bot token)'],
    [readyLine(180, []), 'ready in 180 ms'],
    [readyLine(412, ['channel:telegram:work']), 'ready in 412 ms (failing: channel:telegram:work)'],
    [reloadedLine(['agents.defaults.model'], []), 'config reloaded (hot: agents.defaults.model; restart: none)'],
    [reloadedLine([], ['gateway.port', 'gateway.bind']), 'config reloaded (hot: none; restart: gateway.port, gateway.bind)'],
    [reloadedLine(Array.from({length: 22}, (_, i) => `k${i}`), []), 'config reloaded (hot: k0, k1, k2, k3, k4, … (+17 more); restart: none)'],
    [reloadSkippedLine([{path: 'gateway.port', message: 'expected an integer'}, {path: 'x', message: 'unknown key'}]), 'config reload skipped (invalid config): 2 issue(s); first: gateway.port: expected an integer'],
    [reloadSkippedLine([{path: '', message: 'does not parse'}]), 'config reload skipped (invalid config): 1 issue(s); first: (root): does not parse'],
    [restartNeededLine(['gateway.port']), `config change needs a gateway restart (gateway.port); run: openclaw gateway restart`],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected)
  })

  it('reads the accounts of every channel from a health snapshot', () => {
    const health = {ok: true, channels: {telegram: {configured: true, accounts: {home: {accountId: 'home', enabled: true, lastError: null, lastErrorCode: null, running: true}}}}}
    expect(channelAccountsOf(health)).toEqual([{channel: 'telegram', accountId: 'home', enabled: true, lastError: null, lastErrorCode: null}])
    expect(channelAccountsOf({ok: true})).toEqual([])
  })
})
