// Issue 9 item 13: the README's quick start and every command example run as written, in a fresh
// HOME with `openclaw` on PATH, in README order (the examples run against the quick start's
// gateway). Skipped only: lines marked `# needs: model|network|terminal|service-manager` (readme-blocks.ts). The gateway's
// default port 18789 is replaced by a free one (tests never bind fixed ports).
import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, repoRoot, type TempHome} from '../helpers/cli.js'
import {freePort} from '../helpers/gateway-process.js'
import {readmeBlocks} from './readme-blocks.js'

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
const {quickStart, examples} = readmeBlocks(readme)

let t: TempHome
let env: NodeJS.ProcessEnv
let port: number
let gateway: ReturnType<typeof spawn> | undefined

beforeAll(async () => {
  t = makeTempHome()
  const bin = path.join(t.home, 'bin')
  mkdirSync(bin, {recursive: true})
  mkdirSync(t.env.TMPDIR as string, {recursive: true})
  writeFileSync(path.join(bin, 'openclaw'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`)
  chmodSync(path.join(bin, 'openclaw'), 0o755)
  port = await freePort()
  env = {...t.env, PATH: `${bin}:${t.env.PATH}`}
})
afterAll(() => {
  gateway?.kill('SIGKILL')
  t.cleanup()
})

/** The line with the free port, and a stream (`--follow`/`-f`) capped at 2 s (still running then counts as working). */
function prepare(line: string): string {
  const text = line.replace(/18789/g, String(port))
  return /\s(--follow|-f)(\s|$)/.test(text) ? `timeout 2 ${text.replace(/\s+#.*$/, '')} || [ $? -eq 124 ]` : text
}

/** The quick start's `export` lines, which later examples rely on (`$OPENCLAW_GATEWAY_TOKEN`). */
const exportsOf = (lines: string[]) => lines.filter((l) => l.startsWith('export '))

/**
 * Examples that change nothing (reads, `--dry-run`): a run of them between two writing examples
 * may go in parallel. Kept to commands known to only read; a line with a redirect or a pipe writes
 * or depends on more than the command, so it never matches.
 */
const READ_ONLY =
  /^openclaw (--profile \S+ )?(agents list|channels (list|status)|config (file|get|validate|schema --json)|gateway (call (health|status)|health|probe|status)|health|help|logs|models (list|status)|pairing list|sessions list|backup verify)\b[^|>]*$/
const isReadOnly = (line: string) => READ_ONLY.test(line) || (/^openclaw .* --dry-run\b/.test(line) && !/[|>]/.test(line))
// At most this many examples at once: a run of reads overlaps their waits (`logs -f`'s 2 s, RPC round trips).
const PARALLEL = 3

/**
 * Runs lines in one bash, each in a subshell, and returns each line's exit code and output. Lines
 * run in README order; consecutive read-only lines run up to PARALLEL at a time, and any other
 * line waits for every line before it and runs alone.
 */
function runEach(lines: string[], prelude: string[] = []): Array<{line: string; status: number; ms: number; output: string}> {
  const dir = path.join(t.home, 'tmp', `run-${Date.now()}`)
  mkdirSync(dir, {recursive: true})
  // Each line's exit code and wall time (ms), for the failure message when the whole run times out.
  const step = (l: string, i: number) => `s=$(date +%s%3N); ( ${prepare(l)}
) >"${dir}/${i}.out" 2>&1; echo "$? $(( $(date +%s%3N) - s ))" >"${dir}/${i}.code"`
  const script = [
    'set -o pipefail',
    ...prelude,
    ...lines.map((l, i) => (isReadOnly(l) ? `while [ "$(jobs -rp | wc -l)" -ge ${PARALLEL} ]; do wait -n; done; { ${step(l, i)}; } &` : `wait; ${step(l, i)}`)),
    'wait',
  ].join('\n')
  const r = spawnSync('bash', ['-c', script], {env: {...env, OPENCLAW_GATEWAY_PORT: String(port)}, cwd: t.home, encoding: 'utf8', timeout: 150_000})
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined)
  return lines.map((line, i) => {
    const [code, ms] = read(path.join(dir, `${i}.code`))?.trim().split(' ') ?? []
    return {line, status: code === undefined ? -1 : Number(code), ms: Number(ms ?? -1), output: code === undefined ? `did not finish: ${r.error?.message ?? r.stderr}` : (read(path.join(dir, `${i}.out`)) ?? '')}
  })
}

/** Starts `openclaw gateway run …` as the README shows it and waits for its `ready` log line. */
function startGateway(line: string): Promise<void> {
  gateway = spawn('bash', ['-c', `exec ${prepare(line)}`], {env: {...env, OPENCLAW_GATEWAY_PORT: String(port)}, cwd: t.home, stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in 15 s:\n${output}`)), 15_000)
    const onData = (d: Buffer) => {
      output += d
      if (/ready in \d+ ms/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    gateway!.stdout!.on('data', onData)
    gateway!.stderr!.on('data', onData)
    gateway!.on('exit', (code) => reject(new Error(`gateway exited ${code}:\n${output}`)))
  })
}

describe('README examples run as written', () => {
  it('finds the quick start and the command examples', () => {
    expect(quickStart.length).toBeGreaterThanOrEqual(3)
    expect(examples.length).toBeGreaterThan(20)
  })

  it('the quick start works in a fresh HOME, gateway and all', async () => {
    for (const block of quickStart) {
      const gatewayLine = block.find((l) => /^openclaw gateway run\b/.test(l))
      if (gatewayLine !== undefined) {
        await startGateway(gatewayLine)
        continue
      }
      for (const r of runEach(block, exportsOf(quickStart.flat()).filter((l) => !block.includes(l)))) expect(r.status, `${r.line}\n---\n${r.output}`).toBe(0)
    }
  }, 120_000)

  it('every command example works (after the quick start), except those marked as needing a model, network, terminal or service manager', () => {
    expect(gateway, 'the quick start started the gateway').toBeDefined()
    // `openclaw gateway [run]` would start a second gateway: the quick start's one serves them all.
    const runnable = examples.filter((line) => !/^openclaw gateway( run)?\b(?! (call|health|probe|install|start|stop|restart|status|uninstall))/.test(line))
    const results = runEach(runnable, exportsOf(quickStart.flat()))
    const failures = results.filter((r) => r.status !== 0).map((r) => `${r.line}\n  exit ${r.status}: ${r.output.trim().split('\n').slice(0, 4).join('\n  ')}`)
    const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8).map((r) => `${r.ms} ms  ${r.line}`)
    expect(failures, `the slowest examples:\n${slowest.join('\n')}`).toEqual([])
  }, 180_000)
})
