// Whole-process measurements: wall time over repeated runs (after a warm-up) and peak RSS.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const probe = fileURLToPath(new URL('./rss-probe.cjs', import.meta.url))

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return {min: sorted[0], median: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], n: sorted.length}
}

/** Runs `node <args>` `runs` times after `warmup` runs; returns wall-time stats (ms) and peak RSS (MB). */
export function measureProcess(args, {env, cwd, runs = 7, warmup = 2, expectCode = 0} = {}) {
  const once = () => {
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, {env, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== expectCode) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
    return ms
  }
  for (let i = 0; i < warmup; i++) once()
  const times = Array.from({length: runs}, once)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-bench-rss-'))
  const rssFile = path.join(dir, 'rss')
  spawnSync(process.execPath, ['-r', probe, ...args], {env: {...env, BENCH_RSS_FILE: rssFile}, cwd, stdio: 'ignore', timeout: 30_000})
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024
  rmSync(dir, {recursive: true, force: true})
  return {...stats(times), rssMb}
}

export function printTable(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  console.log(`\n${title}`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
}
