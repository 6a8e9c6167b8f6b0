import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import {prepareAgentRun} from '../../../../src/runtime/agents/run/agent-request.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {startFakeModel, text, type FakeModel} from '../../../fakes/model-server/index.js'
import {openedRunners} from '../../../helpers/opened-runners.js'

const runners = openedRunners()
let fake: FakeModel
let dir: string
beforeEach(async () => {
  fake = await startFakeModel()
  dir = mkdtempSync(path.join(os.tmpdir(), 'last-route-'))
})
afterEach(async () => {
  await fake.destroy()
  await runners.settleAll()
  rmSync(dir, {recursive: true, force: true})
})

/** runtime.md §3.3: with dmScope main a DM lands in the main session, which records its last route for `agent --deliver`. */
describe('last route of the main session', () => {
  it('a DM records lastChannel/lastTo/lastAccountId on agent:main:main; a later --deliver without --to targets that chat', async () => {
    const {config, issues} = validateConfigTree({
      models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}},
      agents: {defaults: {model: 'fake/m', workspace: path.join(dir, 'ws')}},
      channels: {telegram: {botToken: '1:a'}},
    })
    if (config === null) throw new Error(JSON.stringify(issues))
    const paths = {home: dir, profile: null, profileSource: null, stateDir: path.join(dir, 'state'), configPath: path.join(dir, 'state', 'openclaw.json'), legacyStateDir: null, includeRoots: [], workspaceDir: null, cwd: dir, notices: []}
    const runner = runners.track(openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'gateway'}))
    fake.enqueue(text('hello Alice'))
    let delivered!: () => void
    const done = new Promise<void>((resolve) => (delivered = resolve))
    const accepted = await runner.inbound({
      channel: 'telegram', accountId: 'default', messageId: '7', dedupeKey: 'telegram:default:dm:7', peer: {kind: 'direct', id: '812345678'},
      sender: {id: '812345678', displayName: 'Alice', isBot: false}, text: 'hi', media: [], mentioned: true, sentAt: Date.now(), receivedAt: Date.now(),
    }, {typing() {}, preview() {}, error() {}, final: () => delivered()})
    expect(accepted.sessionKey).toBe('agent:main:main')
    await done
    await runner.settled()
    const index = JSON.parse(readFileSync(path.join(dir, 'state', 'agents', 'main', 'sessions', 'sessions.json'), 'utf8'))
    expect(index['agent:main:main']).toMatchObject({lastChannel: 'telegram', lastTo: '812345678', lastAccountId: 'default'})
    const prepared = await prepareAgentRun(runner.context, {deliver: true}, 'r1')
    expect(prepared.delivery?.target).toMatchObject({channel: 'telegram', accountId: 'default', chatId: '812345678', peer: {kind: 'direct', id: '812345678'}})
  })
})
