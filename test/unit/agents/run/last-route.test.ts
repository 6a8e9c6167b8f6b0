import {readFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import {prepareAgentRun} from '../../../../src/runtime/agents/run/agent-request.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {text} from '../../../fakes/model-server/index.js'
import {runnerFixture} from '../../../helpers/runner-fixture.js'

const fx = runnerFixture('last-route-')

/** runtime.md §3.3: with dmScope main a DM lands in the main session, which records its last route for `agent --deliver`. */
describe('last route of the main session', () => {
  it('a DM records lastChannel/lastTo/lastAccountId on agent:main:main; a later --deliver without --to targets that chat', async () => {
    const config = fx.config({
      agents: {defaults: {model: 'fake/m', workspace: path.join(fx.dir, 'ws')}},
      channels: {telegram: {botToken: '1:a'}},
    })
    const paths = fx.paths
    const runner = fx.track(openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'gateway'}))
    fx.fake.enqueue(text('hello Alice'))
    let delivered!: () => void
    const done = new Promise<void>((resolve) => (delivered = resolve))
    const accepted = await runner.inbound({
      channel: 'telegram', accountId: 'default', messageId: '7', dedupeKey: 'telegram:default:dm:7', peer: {kind: 'direct', id: '812345678'},
      sender: {id: '812345678', displayName: 'Alice', isBot: false}, text: 'hi', media: [], mentioned: true, sentAt: Date.now(), receivedAt: Date.now(),
    }, {typing() {}, preview() {}, error() {}, final: () => delivered()})
    expect(accepted.sessionKey).toBe('agent:main:main')
    await done
    await runner.settled()
    const index = JSON.parse(readFileSync(path.join(fx.dir, 'state', 'agents', 'main', 'sessions', 'sessions.json'), 'utf8'))
    expect(index['agent:main:main']).toMatchObject({lastChannel: 'telegram', lastTo: '812345678', lastAccountId: 'default'})
    const prepared = await prepareAgentRun(runner.context, {deliver: true}, 'r1')
    expect(prepared.delivery?.target).toMatchObject({channel: 'telegram', accountId: 'default', chatId: '812345678', peer: {kind: 'direct', id: '812345678'}})
  })
})
