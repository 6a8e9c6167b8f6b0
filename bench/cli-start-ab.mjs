// CLI start-up A/B: this checkout against a baseline checkout (BENCH_BASELINE=/path, with its
// dist built), measured back to back. Runs interleave (A B B A A B …) so load from other
// processes on the machine hits both sides alike; the min is the figure least touched by load.
// `BENCH_BASELINE=/tmp/old node bench/run.mjs cli` (BENCH_RUNS sets the runs per side, ≥ 15).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {printTable, stats} from './measure.mjs'

const ownRoot = fileURLToPath(new URL('..', import.meta.url))
const usageProbe = fileURLToPath(new URL('./usage-probe.cjs', import.meta.url))
// The acceptance of issue 9: no start-up row more than 5 % slower than the baseline's.
const MAX_SLOWDOWN = 1.05

export function writeBenchHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-'))
  const stateDir = path.join(home, '.openclaw')
  mkdirSync(stateDir, {recursive: true, mode: 0o700})
  // A realistic config: an include, a ${VAR} reference, a few sections.
  writeFileSync(path.join(stateDir, 'gateway.json5'), '{ port: 18789, bind: "loopback", auth: { mode: "token", token: "${BENCH_TOKEN}" } }\n')
  writeFileSync(
    path.join(stateDir, 'openclaw.json'),
    JSON.stringify({gateway: {$include: './gateway.json5', mode: 'local'}, agents: {defaults: {model: 'anthropic/claude-sonnet-4-5'}, list: [{id: 'main', default: true}]}, channels: {telegram: {enabled: false, dmPolicy: 'pairing'}}, logging: {level: 'info'}}, null, 2),
  )
  return home
}

export async function benchCliAb({baseline, runs}) {
  const baseBin = path.join(path.resolve(baseline), 'bin', 'run.js')
  if (!existsSync(baseBin) || !existsSync(path.join(path.resolve(baseline), 'dist', 'openclaw.cjs'))) {
    console.error(`BENCH_BASELINE=${baseline}: no bin/run.js with a built dist/ there (run \`npm run build\` in it first)`)
    return ['cli A/B baseline']
  }
  const sides = [['baseline', baseBin], ['this', path.join(ownRoot, 'bin', 'run.js')]]
  const home = writeBenchHome()
  const env = {PATH: process.env.PATH, HOME: home, BENCH_TOKEN: 'bench-token'}
  const cases = [
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['config get gateway.port', ['config', 'get', 'gateway.port']],
    ['config validate', ['config', 'validate']],
  ]
  const usageFile = path.join(home, 'usage.json')
  /** One run: wall ms, CPU ms and peak RSS MB. */
  const once = (args) => {
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, ['-r', usageProbe, ...args], {env: {...env, BENCH_USAGE_FILE: usageFile}, cwd: home, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    const usage = JSON.parse(readFileSync(usageFile, 'utf8'))
    return {ms, cpu: usage.cpu / 1000, rss: usage.maxRss / 1024}
  }
  const rows = []
  const failures = []
  const nodeTimes = []
  for (const [name, args] of cases) {
    const runsOf = [[], []]
    for (const [, bin] of sides) once([bin, ...args]) // warm-up: page cache, code cache
    for (let i = 0; i < runs; i++) {
      // A B then B A: neither side always runs first after a pause.
      const order = i % 2 === 0 ? [0, 1] : [1, 0]
      for (const s of order) runsOf[s].push(once([sides[s][1], ...args]))
      if (nodeTimes.length < runs) nodeTimes.push(once(['-e', '0']).ms)
    }
    const [wallA, wallB] = runsOf.map((list) => stats(list.map((r) => r.ms)))
    const [cpuA, cpuB] = runsOf.map((list) => stats(list.map((r) => r.cpu)))
    const [rssA, rssB] = runsOf.map((list) => stats(list.map((r) => r.rss)).median)
    const delta = (b, a) => `${b >= a ? '+' : ''}${((b / a - 1) * 100).toFixed(1)} %`
    const ok = cpuB.min / cpuA.min <= MAX_SLOWDOWN && cpuB.median / cpuA.median <= MAX_SLOWDOWN
    if (!ok) failures.push(`A/B ${name}`)
    rows.push([name, cpuA.min.toFixed(1), cpuB.min.toFixed(1), delta(cpuB.min, cpuA.min), cpuA.median.toFixed(1), cpuB.median.toFixed(1), delta(cpuB.median, cpuA.median), wallA.min.toFixed(1), wallB.min.toFixed(1), delta(wallB.min, wallA.min), delta(wallB.median, wallA.median), rssA.toFixed(1), rssB.toFixed(1), ok ? 'ok' : 'MISS'])
  }
  rmSync(home, {recursive: true, force: true})
  const node = stats(nodeTimes)
  printTable(
    `CLI start-up A/B, interleaved, ${runs} runs per side (CPU and wall ms; peak RSS MB, median; node -e 0 wall: min ${node.min.toFixed(1)}, median ${node.median.toFixed(1)}); baseline ${path.resolve(baseline)}; target: CPU min and median ≤ +${Math.round((MAX_SLOWDOWN - 1) * 100)} %`,
    ['command', 'base cpu min', 'this cpu min', 'Δ', 'base cpu med', 'this cpu med', 'Δ', 'base wall min', 'this wall min', 'Δ', 'Δ wall med', 'base rss', 'this rss', ''],
    rows,
  )
  return failures
}
