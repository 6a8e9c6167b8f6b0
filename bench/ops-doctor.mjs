// doctor and onboarding: whole-process wall time of `doctor` on a clean install, `doctor --fix`
// on the legacy fixture of issue 8 (a fresh copy per run) and `onboard --non-interactive`
// (a fresh HOME per run). Bounded: a few runs each, loopback only, temp dirs removed.
import {spawnSync} from 'node:child_process'
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {printTable, stats} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const fixtureConfig = fileURLToPath(new URL('../test/fixtures/legacy-clawdbot/clawdbot.json', import.meta.url))
const TARGETS_MS = {doctor: 500, 'doctor --fix (legacy)': 1500, 'onboard --non-interactive': 1000}
const ONBOARD = ['onboard', '--non-interactive', '--accept-risk', '--flow', 'quickstart', '--provider', 'openai', '--model', 'openai/gpt-4o-mini', '--api-key-env', 'OPENAI_API_KEY']

function legacyHome(home) {
  const dir = path.join(home, '.clawdbot')
  for (const sub of ['sessions', 'agent', 'credentials']) mkdirSync(path.join(dir, sub), {recursive: true})
  copyFileSync(fixtureConfig, path.join(dir, 'clawdbot.json'))
  chmodSync(path.join(dir, 'clawdbot.json'), 0o644)
  writeFileSync(path.join(dir, 'sessions', 'sessions.json'), JSON.stringify({main: {sessionId: 's1', updatedAt: 1, lastChannel: 'telegram'}, 'group:-1001': {sessionId: 's2', updatedAt: 2, channel: 'telegram'}}))
  for (const id of ['s1', 's2']) writeFileSync(path.join(dir, 'sessions', `${id}.jsonl`), '{"type":"session","version":3}\n')
  writeFileSync(path.join(dir, 'agent', 'auth-profiles.json'), '{"version":1,"profiles":{}}\n')
  writeFileSync(path.join(dir, 'credentials', 'telegram-allowFrom.json'), '{"version":1,"allowFrom":["111"]}\n')
}

/** Wall time of one `node bin/run.js …args` run in a HOME prepared by `setup`, ms. */
function timed(args, setup, expectCode = 0) {
  if (args === null) return timedNode()

  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-doctor-'))
  try {
    setup(home)
    const env = {PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8'}
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [bin, ...args], {env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== expectCode) throw new Error(`openclaw ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    return ms
  } finally {
    rmSync(home, {recursive: true, force: true})
  }
}

function timedNode() {
  const start = process.hrtime.bigint()
  spawnSync(process.execPath, ['-e', '0'], {stdio: 'ignore'})
  return Number(process.hrtime.bigint() - start) / 1e6
}

function onboarded(home) {
  const r = spawnSync(process.execPath, [bin, ...ONBOARD], {env: {PATH: process.env.PATH, HOME: home}, cwd: home, stdio: 'ignore'})
  if (r.status !== 0) throw new Error('onboard failed while preparing the clean install')
}

export async function benchOpsDoctor({runs}) {
  // Reference rows (no target): this machine's Node start-up and the config load doctor builds on,
  // so a loaded machine's figures can be read against them.
  const cases = [
    ['node -e 0 (reference)', null, () => {}],
    ['config validate (reference)', ['config', 'validate'], onboarded],
    ['doctor', ['doctor'], onboarded],
    ['doctor --fix (legacy)', ['doctor', '--fix', '--non-interactive'], legacyHome],
    ['onboard --non-interactive', ONBOARD, () => {}],
  ]
  const failures = []
  const rows = cases.map(([name, args, setup]) => {
    timed(args, setup)
    const s = stats(Array.from({length: runs}, () => timed(args, setup)))
    const target = TARGETS_MS[name]
    const ok = target === undefined || s.median <= target
    if (!ok) failures.push(name)
    return [name, s.min.toFixed(1), s.median.toFixed(1), s.max.toFixed(1), target === undefined ? '-' : `≤${target}`, target === undefined ? '' : ok ? 'ok' : 'MISS']
  })
  printTable(`doctor and onboarding (${runs} runs after 1 warm-up, fresh HOME each, ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`, ['command', 'min', 'median', 'max', 'target', ''], rows)
  return failures
}
