import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openAgentRunner} from '../../../../src/runtime/agents/open-runner.js'
import type {AgentRunner} from '../../../../src/runtime/agents/run/agent-runner.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'
import {validateConfigTree} from '../../../../src/runtime/config/schema/validate.js'
import {stall, startFakeModel, text, type FakeModel} from '../../../fakes/model-server/index.js'
import {openedRunners} from '../../../helpers/opened-runners.js'

const runners = openedRunners()

/** Channel photos in the run loop: the user line carries them inline (runtime.md §5.3), queued or not. */
let fake: FakeModel
let dir: string
beforeEach(async () => {
  fake = await startFakeModel()
  dir = mkdtempSync(path.join(os.tmpdir(), 'image-messages-'))
})
afterEach(async () => {
  await fake.destroy()
  await runners.settleAll()
  rmSync(dir, {recursive: true, force: true})
})

const IMAGE = {type: 'image' as const, mimeType: 'image/png', data: Buffer.from('png-bytes').toString('base64')}

function runner(): AgentRunner {
  const {config, issues} = validateConfigTree({
    models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'eyes', name: 'E', input: ['text', 'image']}]}}},
    agents: {defaults: {model: 'fake/eyes', workspace: path.join(dir, 'ws')}},
    messages: {queue: {mode: 'followup', debounceMs: 0}},
  })
  if (config === null) throw new Error(JSON.stringify(issues))
  const paths = {home: dir, profile: null, profileSource: null, stateDir: path.join(dir, 'state'), configPath: path.join(dir, 'state', 'openclaw.json'), legacyStateDir: null, includeRoots: [], workspaceDir: null, cwd: dir, notices: []}
  return runners.track(openAgentRunner({config: (): Config => config, paths, env: {}, sink: {publish: () => undefined}, owner: 'cli'}))
}

interface Line {type: string; customType?: string; data?: {images?: unknown[]}; message?: {role: string; content: unknown[]}}
function transcript(): Line[] {
  const sessions = path.join(dir, 'state', 'agents', 'main', 'sessions')
  const file = readdirSync(sessions).find((name) => name.endsWith('.jsonl'))
  return readFileSync(path.join(sessions, file ?? ''), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line)
}
const lastUser = (index: number) => (fake.requests[index].body.messages as Array<{role: string; content: unknown}>).filter((m) => m.role === 'user').at(-1)?.content
const imageUrl = {type: 'image_url', image_url: {url: `data:image/png;base64,${IMAGE.data}`}}

describe('image parts through the runner', () => {
  it('a message with an image: the user line keeps it inline and the model gets it; a photo without caption has no empty text part', async () => {
    const r = runner()
    fake.enqueue(text('a png'), text('again'))
    await (await r.start({message: 'what is this?', images: [IMAGE]})).done
    await (await r.start({message: '', images: [IMAGE]})).done
    const users = transcript().filter((l) => l.message?.role === 'user').map((l) => l.message!.content)
    expect(users).toEqual([[{type: 'text', text: 'what is this?'}, IMAGE], [IMAGE]])
    expect(lastUser(0)).toEqual([{type: 'text', text: 'what is this?'}, imageUrl])
    expect(lastUser(1)).toEqual([imageUrl])
  })

  it('queued behind a running turn: the marker and the consuming user line carry the image', async () => {
    const r = runner()
    fake.enqueue(stall({ms: 200, text: ['first']}), text('seen'))
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
