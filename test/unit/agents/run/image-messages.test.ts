import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import type {AgentRunner} from '../../../../src/runtime/agents/run/agent-runner.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {stall, text} from '../../../fakes/model-server/index.js'
import {runnerFixture} from '../../../helpers/runner-fixture.js'

const fx = runnerFixture('image-messages-')

/** Channel photos in the run loop: the user line carries them inline (runtime.md §5.3), queued or not. */

const IMAGE = {type: 'image' as const, mimeType: 'image/png', data: Buffer.from('png-bytes').toString('base64')}

function runner(): AgentRunner {
  const config = fx.config({
    models: {mode: 'replace', providers: {fake: {baseUrl: fx.fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'eyes', name: 'E', input: ['text', 'image']}]}}},
    agents: {defaults: {model: 'fake/eyes', workspace: path.join(fx.dir, 'ws')}},
    messages: {queue: {mode: 'followup', debounceMs: 0}},
  })
  const paths = fx.paths
  return fx.track(openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'cli'}))
}

interface Line {type: string; customType?: string; data?: {images?: unknown[]}; message?: {role: string; content: unknown[]}}
function transcript(): Line[] {
  const sessions = path.join(fx.dir, 'state', 'agents', 'main', 'sessions')
  const file = readdirSync(sessions).find((name) => name.endsWith('.jsonl'))
  return readFileSync(path.join(sessions, file ?? ''), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line)
}
const lastUser = (index: number) => (fx.fake.requests[index].body.messages as Array<{role: string; content: unknown}>).filter((m) => m.role === 'user').at(-1)?.content
const imageUrl = {type: 'image_url', image_url: {url: `data:image/png;base64,${IMAGE.data}`}}

describe('image parts through the runner', () => {
  it('a message with an image: the user line keeps it inline and the model gets it; a photo without caption has no empty text part', async () => {
    const r = runner()
    fx.fake.enqueue(text('a png'), text('again'))
    await (await r.start({message: 'what is this?', images: [IMAGE]})).done
    await (await r.start({message: '', images: [IMAGE]})).done
    const users = transcript().filter((l) => l.message?.role === 'user').map((l) => l.message!.content)
    expect(users).toEqual([[{type: 'text', text: 'what is this?'}, IMAGE], [IMAGE]])
    expect(lastUser(0)).toEqual([{type: 'text', text: 'what is this?'}, imageUrl])
    expect(lastUser(1)).toEqual([imageUrl])
  })

  it('queued behind a running turn: the marker and the consuming user line carry the image', async () => {
    const r = runner()
    fx.fake.enqueue(stall({ms: 200, text: ['first']}), text('seen'))
    const first = await r.start({message: 'first'})
    const queued = await r.start({message: 'and this?', images: [IMAGE]})
    expect(queued.admitted.queued).toBe(true)
    await first.done
    expect((await queued.done).text).toBe('seen')
    expect(transcript().find((l) => l.customType === 'openclaw.inbound')?.data?.images).toEqual([IMAGE])
    expect(transcript().filter((l) => l.message?.role === 'user').at(-1)?.message?.content).toEqual([{type: 'text', text: 'and this?'}, IMAGE])
    expect(lastUser(1)).toEqual([{type: 'text', text: 'and this?'}, imageUrl])
  })
})
