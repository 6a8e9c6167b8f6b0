// Compaction (runtime.md §8.6): the wall time of a turn that must first compact a 200-message
// session (summary request + compaction line + index patch + the turn), against an instant fake
// model, next to the same turn on a session that fits. In-process over the real runner and file
// store; loopback only; bounded in sessions.
import http from 'node:http'
import {createRequire} from 'node:module'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {buildSync} from 'esbuild'

import {printTable, stats} from './measure.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const chunk = (delta, finish = null) => `data: ${JSON.stringify({id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{index: 0, delta, finish_reason: finish}]})}\n\n`
const SSE = chunk({role: 'assistant', content: 'summary or answer'}) + chunk({}, 'stop') + 'data: [DONE]\n\n'

function instantModel() {
  let requests = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      requests++
      res.writeHead(200, {'content-type': 'text/event-stream'}).end(SSE)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({server, requests: () => requests})))
}

/** Appends 100 user/assistant pairs (~400 chars each) to a fresh session. */
async function fill(store, key) {
  for (let i = 0; i < 100; i++) {
    await store.append(key, {type: 'message', message: {role: 'user', content: [{type: 'text', text: `question ${i} ${'lorem ipsum '.repeat(33)}`}], timestamp: Date.now()}}, {fsync: false})
    await store.append(key, {type: 'message', message: {role: 'assistant', content: [{type: 'text', text: `answer ${i} ${'dolor sit '.repeat(40)}`}], api: 'openai-completions', provider: 'fake', model: 'm', usage: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0}, stopReason: 'stop'}}, {fsync: false})
  }
}

export async function benchCompaction({quick = false} = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-compaction-'))
  const bundle = path.join(root, 'entry.cjs')
  buildSync({entryPoints: [path.join(here, 'compaction-entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent'})
  const {openAgentRunner, openSessionStores, validateConfigTree} = createRequire(import.meta.url)(bundle)
  const model = await instantModel()
  const sessions = quick ? 5 : 15
  const missed = []
  try {
    // 200 messages ≈ 20k tokens: over the 8k budget of a 16k window (compacts), within a 128k one (does not).
    const make = (contextWindow) => {
      const {config, issues} = validateConfigTree({
        models: {mode: 'replace', providers: {fake: {baseUrl: `http://127.0.0.1:${model.server.address().port}/v1`, apiKey: 'bench', models: [{id: 'm', name: 'M', contextWindow, maxTokens: 1024}]}}},
        agents: {defaults: {model: 'fake/m', workspace: path.join(root, 'ws'), skipBootstrap: true}},
        tools: {deny: ['*']},
      })
      if (config === null) throw new Error(JSON.stringify(issues))
      const stateDir = path.join(root, `state-${contextWindow}`)
      const paths = {home: root, profile: null, profileSource: null, stateDir, configPath: path.join(stateDir, 'openclaw.json'), legacyStateDir: null, includeRoots: [], workspaceDir: null, cwd: root, notices: []}
      const options = {config: () => config, paths, env: {}, owner: 'cli', sink: {publish: () => undefined}}
      const stores = openSessionStores(options)
      return {runner: openAgentRunner(options, stores), store: stores.forAgent('main')}
    }
    const rows = []
    for (const [label, window] of [['fits (128k window)', 128_000], ['compacts (16k window)', 16_000]]) {
      const {runner, store} = make(window)
      const times = []
      for (let i = 0; i < sessions; i++) {
        const key = `agent:main:bench-${i}`
        await (await runner.start({message: 'start', sessionKey: key})).done
        await fill(store, key)
        const before = model.requests()
        const t = performance.now()
        const outcome = await (await runner.start({message: 'next question', sessionKey: key})).done
        times.push(performance.now() - t)
        if (outcome.status !== 'ok') throw new Error(`turn failed: ${outcome.summary}`)
        const expected = window === 16_000 ? 2 : 1
        if (model.requests() - before !== expected) throw new Error(`${label}: expected ${expected} model requests, got ${model.requests() - before}`)
      }
      rows.push([label, stats(times)])
    }
    const [fits, compacts] = rows.map((r) => r[1])
    const table = [
      ['turn on a 200-message session that fits, median (ms)', fits.median.toFixed(1), '', true],
      // Relative target: the summary request and the compaction line may at most double the turn (+20 ms).
      ['turn that compacts a 200-message session, median (ms)', compacts.median.toFixed(1), `≤ ${(2 * fits.median + 20).toFixed(0)}`, compacts.median <= 2 * fits.median + 20],
      ['turn that compacts, p99 (ms)', compacts.p99.toFixed(1), '', true],
    ]
    printTable(`compaction (in-process runner, instant fake model, ${sessions} sessions each)`, ['row', 'value', 'target', 'met'], table.map((r) => [r[0], r[1], r[2], r[3] ? 'yes' : 'NO']))
    for (const r of table) if (!r[3]) missed.push(`compaction: ${r[0]}`)
  } finally {
    model.server.close()
    rmSync(root, {recursive: true, force: true})
  }
  return missed
}
