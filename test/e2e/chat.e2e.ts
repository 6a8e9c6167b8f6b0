import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {hang, startFakeModel, text, type FakeModel} from '../fakes/model-server/index.js'
import {binPath, runCli} from '../helpers/cli.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from '../helpers/gateway-process.js'

let home: GatewayHome
let fake: FakeModel
let socket: string | undefined
let gateway: GatewayProcess | undefined
let port = 0

function configure(port: number): void {
  home.writeConfig({
    gateway: {mode: 'local', port, auth: {token: 'chat-e2e'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: fake.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M'}]}}},
    agents: {defaults: {model: 'fake/m'}, list: [{id: 'main', default: true, workspace: path.join(home.home, 'ws')}]},
  })
}

function transcript(): Array<{type: string; message?: {role: string; content: Array<{text?: string}>}}> {
  const dir = path.join(home.stateDir, 'agents', 'main', 'sessions')
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
  expect(files).toHaveLength(1)
  return readFileSync(path.join(dir, files[0]), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as never)
}

const said = (lines: ReturnType<typeof transcript>) => lines.filter((l) => l.type === 'message').map((l) => `${l.message?.role}: ${l.message?.content.map((c) => c.text ?? '').join('')}`)

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket!, ...args], {env: home.env, encoding: 'utf8'})
}

async function waitForPane(check: (pane: string) => boolean, timeoutMs = 4000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let pane = ''
  while (Date.now() < deadline) {
    pane = tmux('capture-pane', '-p', '-t', 'chat')
    if (check(pane)) return pane
    await new Promise((r) => setTimeout(r, 30))
  }
  throw new Error(`pane never matched:\n${pane}`)
}

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'])
    return true
  } catch {
    return false
  }
})()

beforeEach(async () => {
  fake = await startFakeModel()
  home = makeGatewayHome()
  port = await freePort()
  configure(port)
})
afterEach(async () => {
  gateway?.kill()
  gateway = undefined
  if (socket !== undefined) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'])
    } catch {
      // already gone
    }
  }
  socket = undefined
  await fake.destroy()
  home.cleanup()
})

describe('openclaw chat (real binary, fake model)', () => {
  it.skipIf(!hasTmux)('holds a two-turn conversation in a real terminal; Ctrl-C aborts a turn; Ctrl-D exits 0', async () => {
    socket = `openclaw-chat-${process.pid}-${Date.now()}`
    const exitFile = path.join(home.home, 'exit-code')
    fake.enqueue(text('Hello ', 'there'))
    fake.enqueue(text('Second ', 'reply', {delayMs: 500}))
    fake.enqueue(hang({afterChunks: 1, text: ['Thinking hard', ' forever']}))
    const command = `'${process.execPath}' '${binPath}' chat; echo $? > '${exitFile}'; sleep 30`
    tmux('new-session', '-d', '-s', 'chat', '-x', '120', '-y', '30', command)
    await waitForPane((p) => p.trimEnd().endsWith('you>'))
    tmux('send-keys', '-t', 'chat', 'hi', 'Enter')
    // Type only once the prompt is back, as a person would: keys sent while the reply is still
    // rendering are echoed by the terminal in cooked mode ahead of the prompt.
    await waitForPane((p) => p.includes('Hello there') && p.trimEnd().endsWith('you>'))
    tmux('send-keys', '-t', 'chat', 'and again', 'Enter')
    const pane = await waitForPane((p) => p.includes('Second reply') && p.trimEnd().endsWith('you>'))
    expect(pane).toMatch(/you> hi\nHello there\nyou> and again\nSecond reply\nyou>/)
    tmux('send-keys', '-t', 'chat', 'never mind', 'Enter')
    // Streamed: the first chunk shows while the model still holds the stream open.
    await waitForPane((p) => p.includes('Thinking hard'))
    tmux('send-keys', '-t', 'chat', 'C-c')
    await waitForPane((p) => p.includes('Aborted') && p.trimEnd().endsWith('you>'))
    tmux('send-keys', '-t', 'chat', 'C-d')
    const deadline = Date.now() + 3000
    while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 30))
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0')
    expect(said(transcript()).slice(0, 4)).toEqual(['user: hi', 'assistant: Hello there', 'user: and again', 'assistant: Second reply'])
    expect(said(transcript())[4]).toBe('user: never mind')
  })

  it('answers each line of piped stdin in turn; chat commands pass through; /exit stops', async () => {
    fake.enqueue(text('one'))
    fake.enqueue(text('two'))
    const r = await runCli(['chat', '--local'], {env: home.env, input: 'first\n\n/status\nsecond\n/exit\nnot sent\n'})
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^one\nAgent: main\n[^]*Session: agent:main:main\n[^]*\ntwo\n$/)
    expect(r.code).toBe(0)
    expect(fake.requests).toHaveLength(2)
    expect(said(transcript())).toEqual(['user: first', 'assistant: one', 'user: second', 'assistant: two'])
  })

  it('goes through a running gateway (the gateway holds the state lock, so an embedded run could not write)', async () => {
    gateway = spawnGateway(['gateway', 'run'], home.env)
    await waitForHealth(port, {proc: gateway, timeoutMs: 15_000})
    fake.enqueue(text('via ', 'gateway'))
    fake.enqueue(text('still here'))
    const r = await runCli(['chat', '--session-key', 'scratch'], {env: home.env, input: 'a\nb\n'})
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('via gateway\nstill here\n')
    expect(r.code).toBe(0)
    expect(said(transcript())).toEqual(['user: a', 'assistant: via gateway', 'user: b', 'assistant: still here'])
  })
})
