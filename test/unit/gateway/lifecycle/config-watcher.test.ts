import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {watchConfigFiles, type ConfigWatcher} from '../../../../src/runtime/gateway/lifecycle/config-watcher.js'

let dir: string
let watcher: ConfigWatcher | undefined
let fired: number
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'oc-watch-'))
  fired = 0
})
afterEach(() => {
  watcher?.close()
  rmSync(dir, {recursive: true, force: true})
})

function watch(files: string[], debounceMs = 60): void {
  watcher = watchConfigFiles({files, debounceMs, onChange: () => fired++})
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(10)
  }
}

describe('watchConfigFiles', () => {
  it('debounces a burst of writes into one callback', async () => {
    const file = path.join(dir, 'openclaw.json')
    writeFileSync(file, '{}')
    watch([file])
    for (let i = 0; i < 5; i++) {
      writeFileSync(file, `{"n": ${i}}`)
      await sleep(10)
    }
    await until(() => fired === 1)
    await sleep(150)
    expect(fired).toBe(1)
  })

  it("sees an editor's write-then-rename, and changes to an included file in another directory", async () => {
    const file = path.join(dir, 'openclaw.json')
    const incDir = mkdtempSync(path.join(dir, 'inc-'))
    const inc = path.join(incDir, 'agents.json5')
    writeFileSync(file, '{}')
    writeFileSync(inc, '{}')
    watch([file, inc])
    expect(watcher!.dirs).toEqual([dir, incDir])
    writeFileSync(`${file}.tmp`, '{"a": 1}')
    renameSync(`${file}.tmp`, file)
    await until(() => fired === 1)
    writeFileSync(inc, '{"b": 2}')
    await until(() => fired === 2)
  })

  it('ignores other names in the directory, and nothing fires after close', async () => {
    const file = path.join(dir, 'openclaw.json')
    writeFileSync(file, '{}')
    watch([file], 20)
    writeFileSync(path.join(dir, 'openclaw.json.bak'), 'x')
    writeFileSync(path.join(dir, 'other.txt'), 'x')
    await sleep(150)
    expect(fired).toBe(0)
    writeFileSync(file, '{"x": 1}')
    watcher!.close()
    await sleep(100)
    expect(fired).toBe(0)
  })

  it('reports a directory that cannot be watched and keeps the others', () => {
    const errors: string[] = []
    const file = path.join(dir, 'openclaw.json')
    watcher = watchConfigFiles({files: [file, path.join(dir, 'missing-dir', 'x.json5')], debounceMs: 10, onChange: () => undefined, onWatchError: (d) => errors.push(d)})
    expect(watcher.dirs).toEqual([dir])
    expect(errors).toEqual([path.join(dir, 'missing-dir')])
  })
})
