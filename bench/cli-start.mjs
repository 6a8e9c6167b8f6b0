// CLI start-up: whole-process medians of the commands people run most, against `node -e 0`.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {measureProcess, printTable} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

// Targets from the foundation issue: median ratio to `node -e 0`, and peak RSS for config get.
const TARGETS = {'--version': 1.3, '--help': 3, 'config get gateway.port': 3, 'config validate': 3.5}
const RSS_TARGET_MB = {'config get gateway.port': 80}

export async function benchCliStart({runs}) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-'))
  const stateDir = path.join(home, '.openclaw')
  mkdirSync(stateDir, {recursive: true, mode: 0o700})
  // A realistic config: an include, a ${VAR} reference, a few sections.
  writeFileSync(path.join(stateDir, 'gateway.json5'), '{ port: 18789, bind: "loopback", auth: { mode: "token", token: "${BENCH_TOKEN}" } }\n')
  writeFileSync(
    path.join(stateDir, 'openclaw.json'),
    JSON.stringify({gateway: {$include: './gateway.json5', mode: 'local'}, agents: {defaults: {model: 'anthropic/claude-sonnet-4-5'}, list: [{id: 'main', default: true}]}, channels: {telegram: {enabled: false, dmPolicy: 'pairing'}}, logging: {level: 'info'}}, null, 2),
  )
  // The user's real environment (as the issue's reference figures were taken), isolated from
  // their openclaw state; a second table repeats the key rows with only PATH and HOME, because
  // variables such as NODE_EXTRA_CA_CERTS add a fixed cost to every Node start.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPENCLAW_')))
  const env = {...inherited, HOME: home, BENCH_TOKEN: 'bench-token'}
  const cleanEnv = {PATH: process.env.PATH, HOME: home, BENCH_TOKEN: 'bench-token'}
  const cases = [
    ['node -e 0', ['-e', '0']],
    ['--version', [bin, '--version']],
    ['--help', [bin, '--help']],
    ['config get gateway.port', [bin, 'config', 'get', 'gateway.port']],
    ['config validate', [bin, 'config', 'validate']],
  ]
  const results = cases.map(([name, args]) => [name, measureProcess(args, {env, cwd: home, runs})])
  const clean = cases.map(([name, args]) => [name, measureProcess(args, {env: cleanEnv, cwd: home, runs})])
  rmSync(home, {recursive: true, force: true})
  const base = results[0][1].median
  const failures = []
  const rows = results.map(([name, r]) => {
    const ratio = r.median / base
    const target = TARGETS[name]
    const rssTarget = RSS_TARGET_MB[name]
    const ok = (target === undefined || ratio <= target) && (rssTarget === undefined || r.rssMb <= rssTarget)
    if (!ok) failures.push(name)
    const targetText = [target && `≤${target}×`, rssTarget && `≤${rssTarget} MB`].filter(Boolean).join(', ') || '-'
    return [name, r.min.toFixed(1), r.median.toFixed(1), r.max.toFixed(1), ratio.toFixed(2) + '×', r.rssMb.toFixed(1), targetText, ok ? 'ok' : 'MISS']
  })
  const extras = Object.keys(inherited).filter((k) => /^NODE_|^UV_/.test(k))
  printTable(`CLI start-up in the user's environment${extras.length ? ` (${extras.join(', ')} set)` : ''} (${runs} runs after 2 warm-up, ms; peak RSS MB)`, ['command', 'min', 'median', 'max', 'ratio', 'rss', 'target', ''], rows)
  const cleanBase = clean[0][1].median
  printTable('Same, with only PATH and HOME set (information; no targets)', ['command', 'min', 'median', 'max', 'ratio', 'rss'], clean.map(([name, r]) => [name, r.min.toFixed(1), r.median.toFixed(1), r.max.toFixed(1), (r.median / cleanBase).toFixed(2) + '×', r.rssMb.toFixed(1)]))
  return failures
}
