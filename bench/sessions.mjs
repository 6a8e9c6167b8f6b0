// Session store: transcript append throughput with the fsync policy of runtime.md §5.4 (user line
// fsynced, assistant line fsynced as the last line of a run), sequential and with 20 sessions in
// parallel (appends + one index patch per turn, as a run does). Bounded in turns and time.
import {closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {buildSync} from 'esbuild'

import {printTable} from './measure.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
// A turn costs 4 fsyncs by spec (user line, final answer, index temp file, index directory), so the
// disk's fsync latency bounds a single session: the target is half of that floor (loaded machines are noisy). 20 sessions in
// parallel must beat one (index writes are batched, fsyncs overlap).
const FLOOR_SHARE = 0.5

function fsyncFloorMs(dir) {
  const file = path.join(dir, 'fsync-probe')
  const fd = openSync(file, 'a')
  const t0 = performance.now()
  for (let i = 0; i < 50; i++) {
    writeSync(fd, 'x'.repeat(200) + '\n')
    fsyncSync(fd)
  }
  closeSync(fd)
  return (performance.now() - t0) / 50
}

const usage = {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2}
const user = (text) => ({type: 'message', message: {role: 'user', content: [{type: 'text', text}], timestamp: Date.now()}})
const reply = (text) => ({type: 'message', message: {role: 'assistant', content: [{type: 'text', text}], api: 'bench', provider: 'bench', model: 'bench', usage, stopReason: 'stop'}})

async function turns(store, key, count, deadline) {
  let done = 0
  for (; done < count && Date.now() < deadline; done++) {
    await store.append(key, user(`message ${done}`))
    await store.append(key, reply(`reply ${done}`), {fsync: true})
    await store.patch(key, {totalTokens: done})
  }
  return done
}

export async function benchSessions({quick}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-sessions-'))
  const bundle = path.join(root, 'store.cjs')
  buildSync({entryPoints: [path.join(here, 'sessions-entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent'})
  const {createFileSessionStore} = createRequire(import.meta.url)(bundle)
  const n = quick ? 100 : 500
  const fsyncMs = fsyncFloorMs(root)
  const seqTarget = (FLOOR_SHARE * 1000) / (4 * fsyncMs)
  const rows = []
  const failures = []
  try {
    const seq = createFileSessionStore(path.join(root, 'seq'), {agentId: 'main', cwd: root})
    await seq.ensure('agent:main:main', {agentId: 'main', cwd: root})
    let t0 = performance.now()
    const seqDone = await turns(seq, 'agent:main:main', n, Date.now() + 30_000)
    const seqRate = seqDone / ((performance.now() - t0) / 1000)

    const par = createFileSessionStore(path.join(root, 'par'), {agentId: 'main', cwd: root})
    const keys = Array.from({length: 20}, (_, i) => `agent:main:bench:direct:${i}`)
    for (const key of keys) await par.ensure(key, {agentId: 'main', cwd: root})
    t0 = performance.now()
    const parDone = (await Promise.all(keys.map((key) => turns(par, key, Math.ceil(n / 20), Date.now() + 30_000)))).reduce((a, b) => a + b, 0)
    const parRate = parDone / ((performance.now() - t0) / 1000)

    for (const [name, done, rate, target] of [['1 session, sequential', seqDone, seqRate, seqTarget], ['20 sessions in parallel', parDone, parRate, seqRate]]) {
      const ok = rate >= target
      if (!ok) failures.push(`sessions: ${name}`)
      rows.push([name, String(done), rate.toFixed(0), `≥${target.toFixed(0)}`, ok ? 'ok' : 'MISS'])
    }
    printTable(`Session store: turns/s (user line + final answer fsynced, one index patch per turn; this disk's fsync: ${fsyncMs.toFixed(1)} ms)`, ['case', 'turns', 'turns/s', 'target', ''], rows)
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
  return failures
}
