// Model-layer benchmarks: one streamed answer through streamWithFailover against the fake model
// server answering at once (both dialects), 20 streams in parallel, and SSE parsing throughput.
// The TypeScript sources are bundled with esbuild into a temp dir first. Loopback only, bounded.
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {build} from 'esbuild'
import {printTable, stats} from './measure.mjs'

const TARGETS = {p50: 5, p99: 20, parallelPerSec: 300, sseMbPerSec: 50}

async function load() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-models-'))
  const outfile = path.join(dir, 'models.mjs')
  await build({entryPoints: [fileURLToPath(new URL('./models-entry.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent'})
  return {mod: await import(pathToFileURL(outfile).href), cleanup: () => rmSync(dir, {recursive: true, force: true})}
}

async function turn(m, fake, candidate, pools) {
  fake.enqueue(m.text('Hel', 'lo'))
  for await (const event of m.streamWithFailover({candidates: [candidate], pools, system: 'sys', messages: [{role: 'user', content: [{type: 'text', text: 'hi'}], timestamp: 0}], tools: [], signal: new AbortController().signal})) {
    if (event.type === 'done' && event.message.content[0]?.text !== 'Hello') throw new Error('unexpected answer')
  }
}

export async function benchModels({quick = false} = {}) {
  const {mod: m, cleanup} = await load()
  const fake = await m.startFakeModel()
  const rows = []
  const missed = []
  const turns = quick ? 100 : 500
  try {
    for (const api of ['openai-completions', 'anthropic-messages']) {
      const baseUrl = api === 'openai-completions' ? fake.openaiBaseUrl : fake.anthropicBaseUrl
      const config = m.ConfigSchema.parse({models: {mode: 'replace', providers: {fake: {baseUrl, api, apiKey: 'bench'}}}})
      const candidate = m.resolveModelCandidate(config, 'fake/m', {env: {}})
      const pools = new m.KeyPools()
      for (let i = 0; i < 50; i++) await turn(m, fake, candidate, pools)
      const times = []
      for (let i = 0; i < turns; i++) {
        const start = performance.now()
        await turn(m, fake, candidate, pools)
        times.push(performance.now() - start)
      }
      const s = stats(times)
      const ok = s.median <= TARGETS.p50 && s.p99 <= TARGETS.p99
      if (!ok) missed.push(`models ${api} latency`)
      rows.push([`${api}: one answer, request → done (${turns}×)`, `p50 ${s.median.toFixed(2)} ms / p99 ${s.p99.toFixed(2)} ms`, `≤${TARGETS.p50} / ≤${TARGETS.p99} ms`, ok ? 'ok' : 'MISS'])

      const total = quick ? 200 : 1000
      let next = 0
      const start = performance.now()
      await Promise.all(Array.from({length: 20}, async () => {
        while (next < total) {
          next++
          await turn(m, fake, candidate, pools)
        }
      }))
      const perSec = total / ((performance.now() - start) / 1000)
      const okPar = perSec >= TARGETS.parallelPerSec
      if (!okPar) missed.push(`models ${api} parallel`)
      rows.push([`${api}: 20 streams in parallel (${total} answers)`, `${perSec.toFixed(0)} answers/s`, `≥${TARGETS.parallelPerSec}/s`, okPar ? 'ok' : 'MISS'])
    }
    const chunk = `data: ${JSON.stringify({id: 'c', object: 'chat.completion.chunk', choices: [{index: 0, delta: {content: 'word '}, finish_reason: null}]})}\n\n`
    const body = chunk.repeat(Math.ceil((quick ? 2 : 10) * 1024 * 1024 / chunk.length))
    const parser = new m.SseParser()
    const start = performance.now()
    let events = 0
    for (let i = 0; i < body.length; i += 16_384) events += parser.push(body.slice(i, i + 16_384)).length
    const mbPerSec = body.length / 1024 / 1024 / ((performance.now() - start) / 1000)
    const okSse = mbPerSec >= TARGETS.sseMbPerSec
    if (!okSse) missed.push('models sse parse')
    rows.push([`SSE parse (${(body.length / 1024 / 1024).toFixed(0)} MB, ${events} events, 16 KB reads)`, `${mbPerSec.toFixed(0)} MB/s`, `≥${TARGETS.sseMbPerSec} MB/s`, okSse ? 'ok' : 'MISS'])
  } finally {
    await fake.destroy()
    cleanup()
  }
  printTable('Model layer against the instant fake model (127.0.0.1)', ['measure', 'value', 'target', ''], rows)
  return missed
}
