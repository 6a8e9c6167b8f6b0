import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {buildSync} from 'esbuild'
import {afterAll, describe, expect, it} from 'vitest'

import {createFileSessionStore} from '../../../src/runtime/sessions/open-store.js'
import {repoRoot} from '../../helpers/cli.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'oc-crash-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

/** Starts the appender child, waits for "ready", lets it write for `runMs`, then SIGKILLs it. */
function runAndKill(bundle: string, dir: string, runMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], {stdio: ['ignore', 'pipe', 'inherit']})
    let timer: NodeJS.Timeout | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      if (timer === undefined && chunk.toString().includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), runMs)
    })
    child.on('error', reject)
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`appender exited on its own (${signal})`))))
  })
}

describe('file store crash safety', () => {
  it('kill -9 during appends, repeatedly: every complete line parses, the chain and index survive', async () => {
    const bundle = path.join(root, 'appender.cjs')
    buildSync({entryPoints: [path.join(repoRoot, 'test/fixtures/sessions/appender.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent'})
    const dir = path.join(root, 'sessions')
    for (let round = 0; round < 5; round++) await runAndKill(bundle, dir, 40 + round * 30)

    const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'))
    expect(files).toHaveLength(1) // one session, never a swapped sessionId
    const text = readFileSync(path.join(dir, files[0]), 'utf8')
    const rows = text.split('\n')
    // the last row is '' after a complete line, or a torn line the reader skips
    const complete = rows.slice(0, -1)
    const parsed = complete.filter((row) => row !== '').map((row) => JSON.parse(row) as {id: string; parentId: string | null; type: string})
    expect(parsed.length).toBeGreaterThan(5) // a loaded machine may fit only a few turns per round
    expect(parsed[0].type).toBe('session')
    // parentIds always name an earlier line: the chain is never broken by a torn write
    const seen = new Set<string>()
    for (const line of parsed.slice(1)) {
      if (line.parentId !== null) expect(seen.has(line.parentId)).toBe(true)
      seen.add(line.id)
    }
    const index = JSON.parse(readFileSync(path.join(dir, 'sessions.json'), 'utf8')) as Record<string, {sessionId: string}>
    expect(index['agent:main:main'].sessionId).toBe(files[0].replace('.jsonl', ''))

    // a fresh store reads it and keeps appending after the last complete line
    const store = createFileSessionStore(dir, {agentId: 'main', cwd: '/ws'})
    const before = await store.readTranscript({sessionKey: 'agent:main:main'})
    const line = await store.append('agent:main:main', {type: 'message', message: {role: 'user', content: [{type: 'text', text: 'after'}], timestamp: 1}})
    expect(line.parentId).toBe(before.lines.at(-1)?.id)
    const after = readFileSync(path.join(dir, files[0]), 'utf8')
    expect(JSON.parse(after.trimEnd().split('\n').at(-1)!)).toMatchObject({id: line.id})
  }, 30_000)
})
