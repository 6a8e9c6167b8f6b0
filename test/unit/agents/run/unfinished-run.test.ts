/** `openclaw agent`'s exit decision (operations.md §2.2): exit 1 unless ok, and a reply `--deliver` did not deliver fails unless best effort. */
import {describe, expect, it} from 'vitest'

import {unfinishedRun, type AgentCommandResult} from '../../../../src/runtime/agents/run/agent-command.js'

const OK: AgentCommandResult = {
  via: 'embedded', origin: 'local', runId: 'r1', status: 'ok', summary: 'completed', sessionKey: 'agent:main:main', agentId: 'main', text: 'hi', payloads: [{text: 'hi'}],
  usage: {input: 1, output: 1, total: 2}, model: 'fake/m', delivered: false, result: null, warnings: [],
}
const FAILED_SEND = {...OK, deliveryError: 'the reply was not delivered to telegram 42 (failed)', delivery: {channel: 'telegram', accountId: 'default', to: '42', state: 'failed'}}

describe('unfinishedRun', () => {
  it.each<[string, AgentCommandResult, {bestEffortDeliver?: boolean}, string | null]>([
    ['ok without delivery', OK, {}, null],
    ['ok and delivered', {...OK, delivered: true, delivery: {channel: 'telegram', accountId: 'default', to: '42', state: 'delivered'}}, {}, null],
    ['a failed send', FAILED_SEND, {}, 'DELIVERY_FAILED'],
    ['a failed send, best effort', FAILED_SEND, {bestEffortDeliver: true}, null],
    ['a run that failed is thrown elsewhere', {...OK, status: 'error'}, {}, null],
    ['a timeout wins over the delivery', {...FAILED_SEND, status: 'timeout', summary: 'timeout'}, {bestEffortDeliver: true}, 'MODEL_TIMEOUT'],
    ['aborted', {...OK, status: 'aborted', summary: 'aborted'}, {}, 'MODEL_ABORTED'],
  ])('%s', (_name, result, options, code) => {
    expect(unfinishedRun(result, options)?.code ?? null).toBe(code)
  })

  it('a failed send names the chat, the fix and where the turn is', () => {
    expect(unfinishedRun(FAILED_SEND)).toMatchObject({
      message: 'the reply was not delivered to telegram 42 (failed)',
      hint: ['Check the account and the chat: openclaw channels status --probe', 'Or accept a reply that is not delivered: openclaw agent --deliver --best-effort-deliver --message "…"', 'The turn is recorded: openclaw sessions history agent:main:main --agent main'],
      details: {runId: 'r1', delivery: {state: 'failed'}},
    })
  })
})
