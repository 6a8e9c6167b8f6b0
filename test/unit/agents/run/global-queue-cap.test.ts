import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {stall, text} from '../../../fakes/model-server/index.js'
import {runnerFixture} from '../../../helpers/runner-fixture.js'

const fx = runnerFixture('global-cap-')

describe('gateway-wide queue cap (runtime.md §8.5)', () => {
  it('beyond the cap a new arrival is dropped with a log line and a dropped outcome; queued ones still run', async () => {
    const config = fx.config({
      agents: {defaults: {model: 'fake/m', workspace: path.join(fx.dir, 'ws'), skipBootstrap: true}},
      messages: {queue: {mode: 'followup', debounceMs: 0, cap: 20}},
    })
    const paths = fx.paths
    const warnings: Array<{message: string; fields: unknown}> = []
    const runner = fx.track(openAgentRunner({config: (): Config => config, paths, env: {}, owner: 'gateway', sink: {publish: () => undefined}, globalQueueLimit: 2, logger: {warn: (message, fields) => warnings.push({message, fields})}}))
    fx.fake.enqueue(stall({ms: 300, text: ['first']}), text('second'), text('third'))
    const running = await runner.start({message: 'first'})
    const queued = [await runner.start({message: 'second'}), await runner.start({message: 'third'})]
    const dropped = await runner.start({message: 'fourth'})
    const outcome = await dropped.done
    expect([outcome.summary, outcome.stopReason, outcome.text]).toEqual(['dropped (queue-full)', 'aborted', ''])
    expect(warnings).toEqual([{message: 'gateway queue full: message dropped', fields: expect.objectContaining({runId: dropped.admitted.runId, queued: 2, sessionKey: 'agent:main:main'})}])
    expect((await Promise.all([running.done, ...queued.map((h) => h.done)])).map((o) => o.text)).toEqual(['first', 'second', 'third'])
    expect(fx.fake.requests).toHaveLength(3)
    // Recorded, never queued: a drop marker and no inbound marker for it (a restart does not run it).
    const sessions = path.join(fx.dir, 'state', 'agents', 'main', 'sessions')
    const lines = readFileSync(path.join(sessions, readdirSync(sessions).find((n) => n.endsWith('.jsonl')) ?? ''), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {customType?: string; data?: {runId?: string; dedupeKeys?: string[]; reason?: string}})
    expect(lines.filter((l) => l.customType === 'openclaw.inbound').map((l) => l.data?.runId)).toEqual(queued.map((h) => h.admitted.runId))
    expect(lines.filter((l) => l.customType === 'openclaw.inbound_dropped').map((l) => l.data)).toEqual([{dedupeKeys: [`run:${dropped.admitted.runId}`], reason: 'queue-full'}])
    expect(await runner.wait(dropped.admitted.runId, 10)).toMatchObject({summary: 'dropped (queue-full)'})
  })
})
