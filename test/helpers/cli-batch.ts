import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {repoRoot, type CliResult} from './cli.js'

const harness = path.join(repoRoot, 'test', 'fixtures', 'cli-in-process.mjs')
// Each run keeps its bundle instance alive in the harness (ES modules are never unloaded):
// ~2.5 MB a run, so a harness process takes a bounded batch.
const BATCH = 40

/**
 * Runs each argv as `openclaw …args` inside harness processes (test/fixtures/cli-in-process.mjs),
 * BATCH runs per process and `parallel` processes at a time; the results come back in order. A
 * parser check costs ~60 ms of CPU this way against ~400 ms for a process of its own.
 */
export async function runCliBatch(argvs: string[][], options: {env: NodeJS.ProcessEnv; parallel?: number}): Promise<CliResult[]> {
  const batches: string[][][] = []
  for (let i = 0; i < argvs.length; i += BATCH) batches.push(argvs.slice(i, i + BATCH))
  const results: CliResult[][] = Array.from({length: batches.length}, () => [])
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      const index = next++
      results[index] = await runHarness(batches[index], options.env)
    }
  }
  await Promise.all(Array.from({length: Math.min(options.parallel ?? 2, batches.length)}, worker))
  return results.flat()
}

function runHarness(argvs: string[][], env: NodeJS.ProcessEnv): Promise<CliResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-batch-'))
  const out = path.join(dir, 'results.json')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [harness, out], {env, cwd: env.HOME, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the in-process harness exited ${code}:\n${output}`)
        const runs = JSON.parse(readFileSync(out, 'utf8')) as Array<{code: number; stdout: string; stderr: string}>
        if (runs.length !== argvs.length) throw new Error(`the harness returned ${runs.length} results for ${argvs.length} runs:\n${output}`)
        resolve(runs.map(({code: exit, stdout, stderr}) => ({code: exit, stdout, stderr, json: parseJson(stdout)})))
      } catch (error) {
        reject(error)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })
    child.stdin.end(JSON.stringify(argvs.map((args) => ({args, env}))))
  })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
