/**
 * A model provider behind HTTPS, through the real binary: Node's default CA store decides, and
 * `NODE_EXTRA_CA_CERTS` (read by Node at start) adds a private CA, as for any Node program.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {FAKE_MODEL_CA, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {runCli} from '../helpers/cli.js'
import {makeGatewayHome, type GatewayHome} from '../helpers/gateway-process.js'

let fake: FakeModel
let home: GatewayHome
beforeEach(async () => {
  fake = await startFakeModel({tls: true})
  home = makeGatewayHome()
  home.writeConfig({models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}}, agents: {defaults: {model: 'fake/m'}}})
})
afterEach(async () => {
  await fake.destroy()
  home.cleanup()
})

describe('agent against an HTTPS model server (real binary)', () => {
  it('answers when the server CA is trusted through NODE_EXTRA_CA_CERTS', async () => {
    fake.enqueue(text('over ', 'tls'))
    const r = await runCli(['agent', '--local', '--message', 'hi'], {env: {...home.env, NODE_EXTRA_CA_CERTS: FAKE_MODEL_CA}})
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'over tls\n', ''])
    expect(fake.requests[0]).toMatchObject({path: '/v1/chat/completions', body: {model: 'm', stream: true}})
    expect(fake.requests[0].body.messages.at(-1)).toEqual({role: 'user', content: 'hi'})
    await fake.close()
  })

  it('refuses an untrusted certificate with the cause and the NODE_EXTRA_CA_CERTS fix', async () => {
    const r = await runCli(['agent', '--local', '--message', 'hi'], {env: home.env})
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/cannot reach model server https:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: [A-Z_]+/)
    expect(r.stderr).toContain('export NODE_EXTRA_CA_CERTS=')
    expect(fake.requests).toHaveLength(0)
  })
})
