// `npm run bench [-- suite...]`: runs the benchmark suites and prints their tables. Exits 1
// when a target is missed, so a regression is visible. Loopback only; every loop is bounded.
import {benchAgent} from './agent.mjs'
import {benchResilience} from './resilience.mjs'
import {benchCliStart} from './cli-start.mjs'
import {benchCliAb} from './cli-start-ab.mjs'
import {benchGateway} from './gateway.mjs'
import {benchSessions} from './sessions.mjs'
import {benchModels} from './models.mjs'
import {benchOpsDoctor} from './ops-doctor.mjs'
import {benchOpsService} from './ops-service.mjs'
import {benchWsFloor} from './ws-floor.mjs'
import {benchCompaction} from './compaction.mjs'
import {benchPhotos} from './photos.mjs'
import {benchTelegram} from './telegram.mjs'
import {benchAgentDeliver} from './agent-deliver.mjs'

const suites = {
  // With BENCH_BASELINE=<checkout of an older build>, an interleaved A/B against it instead.
  cli: () =>
    process.env.BENCH_BASELINE
      ? benchCliAb({baseline: process.env.BENCH_BASELINE, runs: Math.max(15, Number(process.env.BENCH_RUNS ?? 15))})
      : benchCliStart({runs: Number(process.env.BENCH_RUNS ?? 9)}),
  gateway: () => benchGateway({quick: process.argv.includes('--quick')}),
  models: () => benchModels({quick: process.argv.includes('--quick')}),
  sessions: () => benchSessions({quick: process.argv.includes('--quick')}),
  doctor: () => benchOpsDoctor({runs: Number(process.env.BENCH_RUNS ?? 5)}),
  ops: () => benchOpsService({runs: Number(process.env.BENCH_RUNS ?? 7)}),
  // Not part of the default run: the latency floor of this machine, for reading the gateway rows.
  floor: () => benchWsFloor({quick: process.argv.includes('--quick')}),
  agent: async () => [...(await benchAgent({quick: process.argv.includes('--quick')})), ...(await benchCompaction({quick: process.argv.includes('--quick')}))],
  compaction: () => benchCompaction({quick: process.argv.includes('--quick')}),
  photos: () => benchPhotos({quick: process.argv.includes('--quick')}),
  telegram: () => benchTelegram({quick: process.argv.includes('--quick')}),
  resilience: () => benchResilience(),
  deliver: () => benchAgentDeliver({quick: process.argv.includes('--quick')}),
}
const defaults = ['cli', 'gateway', 'models', 'doctor', 'ops']

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = wanted.length > 0 ? wanted : defaults
const started = Date.now()
const missed = []
for (const name of names) {
  if (!suites[name]) {
    console.error(`unknown bench suite "${name}"; have: ${Object.keys(suites).join(', ')}`)
    process.exit(2)
  }
  missed.push(...(await suites[name]()))
}
console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(1)} s; ${missed.length === 0 ? 'all targets met' : 'missed: ' + missed.join(', ')}`)
process.exitCode = missed.length === 0 ? 0 : 1
