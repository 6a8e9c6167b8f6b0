import {lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {STALE_TEMP_AGE_MS, sweepStaleTemps, tempWriterPid} from '../../../src/runtime/state/stale-temps.js'

const DEAD_PID = 99_999_999 // above any pid_max: never a live process
let dir: string | undefined
afterEach(() => {
  if (dir !== undefined) rmSync(dir, {recursive: true, force: true})
  dir = undefined
})

describe('sweepStaleTemps (issue 6, defect 6)', () => {
  it.each([
    ['.openclaw.json.123.0a1b2c3d.tmp', 123],
    ['.sessions.json.7.ffffffff.tmp', 7],
    ['openclaw.json.123.0a1b2c3d.tmp', undefined],
    ['.openclaw.json.123.xyz.tmp', undefined],
    ['.openclaw.json.bak', undefined],
  ])('reads the writer pid of %s as %s', (name, pid) => {
    expect(tempWriterPid(name)).toBe(pid)
  })

  it('removes temps of dead writers, of our own pid and old ones; keeps fresh temps of live writers and everything else', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-temps-'))
    const put = (name: string) => writeFileSync(path.join(dir!, name), '{"secret":"x"}', {mode: 0o600})
    const dead = `.openclaw.json.${DEAD_PID}.0a1b2c3d.tmp`
    const own = `.openclaw.json.${process.pid}.0a1b2c3e.tmp`
    const liveFresh = `.openclaw.json.1.0a1b2c3f.tmp`
    const liveOld = `.openclaw.json.1.0a1b2c40.tmp`
    for (const name of [dead, own, liveFresh, liveOld, 'openclaw.json', 'openclaw.json.bak']) put(name)
    const old = (Date.now() - STALE_TEMP_AGE_MS - 1000) / 1000
    utimesSync(path.join(dir, liveOld), old, old)
    symlinkSync('/etc/hostname', path.join(dir, `.link.${DEAD_PID}.0a1b2c41.tmp`))

    const removed = sweepStaleTemps(dir).map((file) => path.basename(file)).sort()
    expect(removed).toEqual([dead, own, liveOld].sort())
    expect(readdirSync(dir).sort()).toEqual([`.link.${DEAD_PID}.0a1b2c41.tmp`, liveFresh, 'openclaw.json', 'openclaw.json.bak'].sort())
    expect(lstatSync(path.join(dir, `.link.${DEAD_PID}.0a1b2c41.tmp`)).isSymbolicLink()).toBe(true)
  })

  it('never throws for a missing directory', () => {
    expect(sweepStaleTemps('/nonexistent/openclaw-dir')).toEqual([])
  })
})
