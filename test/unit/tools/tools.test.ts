import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import {INVALID_ARGUMENTS_KEY} from '../../../src/runtime/models/assistant-builder.js'
import {ApprovalStore, type ApprovalRequest} from '../../../src/runtime/tools/approvals.js'
import {resolveWorkspacePath} from '../../../src/runtime/tools/confine.js'
import {capText} from '../../../src/runtime/tools/output-limits.js'
import {createToolRegistry, type ToolRegistry} from '../../../src/runtime/tools/registry.js'
import type {ToolContext} from '../../../src/runtime/tools/tool.js'

let root: string
let ws: string
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'openclaw-tools-')))
  ws = path.join(root, 'ws')
  mkdirSync(ws)
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

function context(overrides: Partial<ToolContext> & {tools?: Record<string, unknown>} = {}): ToolContext {
  const {tools, ...rest} = overrides
  return {agentId: 'main', sessionKey: 'agent:main:main', workspace: ws, config: ConfigSchema.parse({tools: tools ?? {}}), signal: new AbortController().signal, approvals: new ApprovalStore(), env: {PATH: process.env.PATH}, ...rest}
}

const registry = (input: Parameters<typeof createToolRegistry>[0] = {tools: ConfigSchema.parse({}).tools}): ToolRegistry => createToolRegistry(input)
const call = (name: string, args: Record<string, unknown>, id = 'c1') => ({id, name, arguments: args})
const textOf = (r: {content: Array<{type: string; text?: string}>}) => r.content.map((p) => p.text).join('')

describe('workspace confinement (runtime.md §8.8)', () => {
  beforeEach(() => {
    writeFileSync(path.join(root, 'secret.txt'), 'outside')
    mkdirSync(path.join(ws, 'sub'))
    symlinkSync(path.join(root, 'secret.txt'), path.join(ws, 'link-out'))
    symlinkSync(path.join(ws, 'sub'), path.join(ws, 'link-in'))
    symlinkSync(path.join(root, 'not-yet'), path.join(ws, 'dangling-out'))
    symlinkSync(root, path.join(ws, 'dir-out'))
  })

  it.each([
    ['notes.md', true], ['sub/new/deep.txt', true], ['./sub/../notes.md', true], ['link-in/x.txt', true], ['.', true],
    ['../secret.txt', false], ['/etc/passwd', false], ['link-out', false], ['dangling-out', false], ['dir-out/secret.txt', false], ['sub/../../secret.txt', false],
  ])('%s inside=%s', (p, inside) => {
    if (inside) expect(resolveWorkspacePath(ws, p)).toBe(path.resolve(ws, p))
    else expect(() => resolveWorkspacePath(ws, p)).toThrow(`path outside workspace: ${p}`)
  })

  it('workspaceOnly false lifts the check', () => {
    expect(resolveWorkspacePath(ws, '../secret.txt', false)).toBe(path.join(root, 'secret.txt'))
  })

  it('file tools refuse escapes with the error the model sees', async () => {
    const result = await registry().runTool(call('read', {path: '../secret.txt'}), context())
    expect([result.isError, textOf(result)]).toEqual([true, 'path outside workspace: ../secret.txt'])
    const write = await registry().runTool(call('write', {path: 'dangling-out', content: 'x'}), context())
    expect(write.isError).toBe(true)
    expect(() => statSync(path.join(root, 'not-yet'))).toThrow()
  })
})

describe('file tools', () => {
  it('write creates parents atomically, read reads lines with offset/limit, edit replaces exactly once', async () => {
    const tools = registry()
    expect(textOf(await tools.runTool(call('write', {path: 'a/b.txt', content: 'one\ntwo\nthree\n'}), context()))).toBe('wrote 14 bytes to a/b.txt')
    expect(textOf(await tools.runTool(call('read', {path: 'a/b.txt', offset: 2, limit: 1}), context()))).toBe('two\n[… 2 more lines; read with offset 3 …]')
    expect(textOf(await tools.runTool(call('edit', {path: 'a/b.txt', oldText: 'two', newText: '2'}), context()))).toBe('replaced 1 occurrence in a/b.txt')
    expect(readFileSync(path.join(ws, 'a/b.txt'), 'utf8')).toBe('one\n2\nthree\n')
  })

  it('edit refuses ambiguous or missing oldText unless replaceAll', async () => {
    writeFileSync(path.join(ws, 'f.txt'), 'x x x')
    const tools = registry()
    expect(textOf(await tools.runTool(call('edit', {path: 'f.txt', oldText: 'x', newText: 'y'}), context()))).toBe('oldText occurs 3 times in f.txt; make it unique or pass replaceAll')
    expect(textOf(await tools.runTool(call('edit', {path: 'f.txt', oldText: 'z', newText: 'y'}), context()))).toBe('oldText not found in f.txt')
    await tools.runTool(call('edit', {path: 'f.txt', oldText: 'x', newText: 'y', replaceAll: true}), context())
    expect(readFileSync(path.join(ws, 'f.txt'), 'utf8')).toBe('y y y')
  })

  it('read refuses binary files and directories; missing files say so', async () => {
    writeFileSync(path.join(ws, 'bin.dat'), Buffer.from([1, 0, 2]))
    const tools = registry()
    expect(textOf(await tools.runTool(call('read', {path: 'bin.dat'}), context()))).toBe('binary file refused: bin.dat')
    expect(textOf(await tools.runTool(call('read', {path: 'nope.txt'}), context()))).toBe('no such file: nope.txt')
    expect(textOf(await tools.runTool(call('read', {path: '.'}), context()))).toBe('is a directory: . (use ls)')
  })

  it('ls lists name, type and size to the given depth', async () => {
    mkdirSync(path.join(ws, 'd/e'), {recursive: true})
    writeFileSync(path.join(ws, 'd/file.txt'), 'abc')
    const out = textOf(await registry().runTool(call('ls', {depth: 2}), context()))
    expect(out.split('\n')).toEqual(['type\tsize\tname', 'dir\t-\td/', 'dir\t-\td/e/', 'file\t3\td/file.txt'])
  })
})

describe('exec', () => {
  it('runs a safe command in the workspace and reports exit code and output', async () => {
    const result = await registry().runTool(call('exec', {command: 'echo hi && pwd'}), context())
    expect(result.isError).toBe(false)
    expect(textOf(result)).toMatch(new RegExp(`^exit code 0 · \\d+ ms\\nstdout:\\nhi\\n${ws}$`))
  })

  it('a failing command is an error result with stderr', async () => {
    const result = await registry().runTool(call('exec', {command: 'ls does-not-exist'}), context())
    expect(result.isError).toBe(true)
    expect(textOf(result)).toMatch(/^exit code 2 .*\nstderr:\n.*does-not-exist/s)
  })

  it('times out: SIGTERM to the whole pipeline', async () => {
    const started = Date.now()
    const result = await registry().runTool(call('exec', {command: 'sleep 20 | cat', timeoutSeconds: 1}), context({tools: {exec: {security: 'full'}}}))
    expect(textOf(result)).toMatch(/^timed out after 1s/)
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('security deny refuses with exec denied', async () => {
    expect(textOf(await registry().runTool(call('exec', {command: 'echo hi'}), context({tools: {exec: {security: 'deny'}}})))).toBe('exec denied: exec is disabled (tools.exec.security is deny)')
  })

  it('ask off refuses a command that is not a safe bin', async () => {
    expect(textOf(await registry().runTool(call('exec', {command: 'touch x'}), context({tools: {exec: {ask: 'off'}}})))).toBe('exec denied: "touch" is not a safe bin')
  })

  it('a dangerous command waits for approval and runs only after allow-once', async () => {
    const requested: ApprovalRequest[] = []
    let resolveRequested: () => void = () => {}
    const seen = new Promise<void>((r) => (resolveRequested = r))
    const approvals = new ApprovalStore({listener: {requested: (r) => {
      requested.push(r)
      resolveRequested()
    }}})
    writeFileSync(path.join(ws, 'victim.txt'), 'x')
    const running = registry().runTool(call('exec', {command: 'rm -f victim.txt && echo removed'}), context({approvals}))
    await seen
    expect(requested[0]).toMatchObject({command: 'rm -f victim.txt && echo removed', cwd: ws, agentId: 'main', sessionKey: 'agent:main:main', reason: 'rm with -r or -f'})
    expect(requested[0].id).toMatch(/^[0-9a-f]{8}$/)
    expect(requested[0].expiresAtMs - requested[0].createdAtMs).toBe(300_000)
    expect(statSync(path.join(ws, 'victim.txt')).isFile()).toBe(true)
    approvals.resolveApproval(requested[0].id, 'allow-once')
    expect(textOf(await running)).toContain('removed')
    expect(() => statSync(path.join(ws, 'victim.txt'))).toThrow()
  })

  it('deny and expiry both refuse; an unknown id is EXEC_APPROVAL_UNKNOWN', async () => {
    const approvals = new ApprovalStore({ttlMs: 50})
    const expired = await registry().runTool(call('exec', {command: 'python3 -V'}), context({approvals}))
    expect(textOf(expired)).toBe('exec denied: not approved ("python3" is not a safe bin)')
    expect(() => approvals.resolveApproval('deadbeef', 'deny')).toThrow(expect.objectContaining({code: 'EXEC_APPROVAL_UNKNOWN'}))
  })

  it('allow-always is remembered per agent in exec-approvals.json (0600)', async () => {
    const file = path.join(root, 'state', 'exec-approvals.json')
    const approvals = new ApprovalStore({file, listener: {requested: (r) => queueMicrotask(() => approvals.resolveApproval(r.id, 'allow-always'))}})
    await registry().runTool(call('exec', {command: 'printf ok'}), context({approvals}))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const fresh = new ApprovalStore({file})
    expect(fresh.isAllowedAlways('main', 'printf ok')).toBe(true)
    expect(fresh.isAllowedAlways('work', 'printf ok')).toBe(false)
    const again = await registry().runTool(call('exec', {command: 'printf ok'}), context({approvals: fresh}))
    expect(textOf(again)).toMatch(/stdout:\nok$/)
  })

  it('aborting the run while waiting for approval denies and returns aborted', async () => {
    const controller = new AbortController()
    const approvals = new ApprovalStore({listener: {requested: () => controller.abort()}})
    const result = await registry().runTool(call('exec', {command: 'python3 -V'}), context({approvals, signal: controller.signal}))
    expect([result.isError, textOf(result)]).toEqual([true, 'aborted'])
    expect(approvals.pending()).toEqual([])
  })
})

describe('registry', () => {
  it('a tool that was not offered gets the not-available error', async () => {
    const tools = registry({tools: ConfigSchema.parse({tools: {deny: ['exec']}}).tools})
    expect(tools.definitions.map((d) => d.name)).not.toContain('exec')
    expect(textOf(await tools.runTool(call('exec', {command: 'echo'}), context()))).toBe('tool "exec" is not available')
  })

  it('sessions and message tools are offered only with callbacks', () => {
    expect(registry().definitions.map((d) => d.name)).toEqual(['read', 'write', 'edit', 'ls', 'exec', 'web_fetch'])
    expect(registry({tools: ConfigSchema.parse({}).tools, withCallbacks: true, offline: true}).definitions.map((d) => d.name)).toEqual(['read', 'write', 'edit', 'ls', 'exec', 'sessions_list', 'sessions_send', 'message'])
  })

  it('invalid JSON arguments become a tool error the model sees', async () => {
    const result = await registry().runTool(call('read', {[INVALID_ARGUMENTS_KEY]: '{"path": '}), context())
    expect(textOf(result)).toBe('invalid JSON arguments: {"path": ')
  })

  it('results keep the first 20000 and last 8000 chars', async () => {
    writeFileSync(path.join(ws, 'big.txt'), 'a'.repeat(25_000) + 'b'.repeat(25_000))
    const out = textOf(await registry().runTool(call('read', {path: 'big.txt'}), context()))
    expect(out).toBe(capText('a'.repeat(25_000) + 'b'.repeat(25_000)))
    expect(out).toContain('[… 22000 characters omitted …]')
    expect(out.startsWith('a'.repeat(20_000) + '\n[')).toBe(true)
  })

  it('sessions_send and message call the run loop callbacks', async () => {
    const sent: unknown[] = []
    const callbacks = {
      listSessions: async () => [{key: 'agent:main:main', sessionId: 's1', updatedAt: 0}],
      sendToSession: async (input: unknown) => (sent.push(input), {status: 'ok' as const, reply: 'pong'}),
      sendMessage: async (input: unknown) => (sent.push(input), {messageIds: ['42']}),
    }
    const tools = registry({tools: ConfigSchema.parse({}).tools, withCallbacks: true})
    expect(textOf(await tools.runTool(call('sessions_send', {sessionKey: 'agent:main:other', message: 'ping'}), context({callbacks})))).toBe('pong')
    expect(textOf(await tools.runTool(call('sessions_send', {sessionKey: 'agent:main:main', message: 'x'}), context({callbacks})))).toBe('a run may not send to its own session')
    expect(textOf(await tools.runTool(call('message', {text: 'hello', to: '123'}), context({callbacks})))).toBe('{"sent":true,"messageIds":["42"]}')
    expect(sent).toEqual([{sessionKey: 'agent:main:other', message: 'ping', timeoutMs: 60_000}, {text: 'hello', to: '123', channel: undefined, accountId: undefined, threadId: undefined, replyTo: undefined}])
  })
})

describe('web_fetch against a loopback server', () => {
  let server: Server
  let base: string
  beforeEach(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, {location: '/page'}).end()
      res.writeHead(200, {'content-type': 'text/html'}).end('<html><head><title>t</title></head><body><h1>Hello</h1><p>See <a href="https://example.com">this</a> &amp; more</p><script>x()</script></body></html>')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(() => new Promise<void>((r) => server.close(() => r())))

  it('refuses loopback targets by default', async () => {
    const result = await registry().runTool(call('web_fetch', {url: `${base}/page`}), context())
    expect(textOf(result)).toBe('web_fetch refused: 127.0.0.1 resolves to a private, loopback or link-local address (127.0.0.1)')
  })

  it('follows redirects and reduces HTML to markdown when private targets are allowed', async () => {
    const result = await registry().runTool(call('web_fetch', {url: `${base}/redirect`}), context({allowPrivateNetwork: true}))
    expect(textOf(result)).toBe(`200 ${base}/page\n\n# Hello\n\nSee [this](https://example.com) & more`)
  })
})

describe('exec approvals on the wire', () => {
  it('an unknown id maps to APPROVAL_NOT_FOUND "approval not found: <id>"', async () => {
    const {appErrorShape} = await import('../../../src/runtime/gateway/server/app-error-wire.js')
    let shape: unknown
    try {
      new ApprovalStore().resolveApproval('abcd1234', 'allow-once')
    } catch (error) {
      shape = appErrorShape(error as never)
    }
    expect(shape).toMatchObject({code: 'APPROVAL_NOT_FOUND', message: 'approval not found: abcd1234'})
  })
})
