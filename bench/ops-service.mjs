// `ops` suite rows for service install and control (issue 8): `gateway install` against fake
// systemctl/loginctl/id/sudo on PATH and a temp system root (OPENCLAW_TEST_SYSTEM_ROOT), first
// install into a fresh home and the no-change re-run; plus `gateway status --no-probe` and
// `dashboard`. Target: gateway install ≤ 500 ms (median).
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {measureProcess, printTable, stats} from './measure.mjs'

const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const INSTALL_TARGET_MS = 500

const FAKES = {
  systemctl: 'case "$*" in *is-active*) echo active;; *show\\ *) printf "LoadState=loaded\\nActiveState=active\\nSubState=running\\nMainPID=1\\n";; esac; exit 0',
  loginctl: 'echo Linger=yes',
  id: 'echo "uid=0(root) gid=0(root) groups=0(root)"',
  sudo: '[ "$1" = -n ] && shift; exec "$@"',
  journalctl: 'exit 0',
}

function fakeEnv(root) {
  const binDir = path.join(root, 'bin')
  mkdirSync(binDir, {recursive: true})
  mkdirSync(path.join(root, 'system/run/systemd/system'), {recursive: true})
  for (const [name, body] of Object.entries(FAKES)) {
    writeFileSync(path.join(binDir, name), `#!/bin/sh\n${body}\n`)
    chmodSync(path.join(binDir, name), 0o755)
  }
  return {PATH: `${binDir}:${process.env.PATH}`, OPENCLAW_TEST_SYSTEM_ROOT: path.join(root, 'system'), LANG: 'C.UTF-8'}
}

/** Wall time of a first install, each into a fresh home and system root. */
function freshInstalls(runs) {
  const times = []
  for (let i = 0; i < runs + 1; i++) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-svc-'))
    const env = {...fakeEnv(root), HOME: path.join(root, 'home')}
    mkdirSync(env.HOME)
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [bin, 'gateway', 'install', '--json', '--wait', '0'], {env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    rmSync(root, {recursive: true, force: true})
    if (r.status !== 0) throw new Error(`gateway install exited ${r.status}: ${r.stderr}${r.stdout}`)
    if (i > 0) times.push(ms)
  }
  return stats(times)
}

export async function benchOpsService({runs = 7} = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-svc-'))
  const env = {...fakeEnv(root), HOME: path.join(root, 'home')}
  mkdirSync(env.HOME)
  try {
    const measured = [
      ['config get gateway.port (baseline)', measureProcess([bin, 'config', 'get', 'gateway.port'], {env, runs}), undefined],
      ['gateway install (fresh home)', freshInstalls(runs), INSTALL_TARGET_MS],
      ['gateway install (re-run, no change)', measureProcess([bin, 'gateway', 'install', '--json', '--wait', '0'], {env, runs}), INSTALL_TARGET_MS],
      ['gateway status --no-probe', measureProcess([bin, 'gateway', 'status', '--json', '--no-probe'], {env, runs}), undefined],
      ['dashboard --no-open', measureProcess([bin, 'dashboard', '--json', '--no-open'], {env, runs}), undefined],
    ]
    const missed = []
    const rows = measured.map(([name, r, target]) => {
      const ok = target === undefined || r.median <= target
      if (!ok) missed.push(`ops: ${name}`)
      return [name, r.min.toFixed(1), r.median.toFixed(1), r.max.toFixed(1), target === undefined ? '-' : `≤${target}`, ok ? 'ok' : 'MISS']
    })
    printTable(`Service install and control, fake systemctl (${runs} runs, ms)`, ['command', 'min', 'median', 'max', 'target', ''], rows)
    return missed
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}
