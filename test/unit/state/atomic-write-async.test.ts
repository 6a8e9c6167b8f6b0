import {lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {writeFileAtomicAsync} from '../../../src/runtime/state/atomic-write-async.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-async-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('writeFileAtomicAsync', () => {
  it.each([
    ['a new file', undefined, 0o600],
    ['an existing 0644 file', 0o644, 0o600],
  ])('writes %s with mode 0600 and leaves no temp file', async (_name, existingMode, expected) => {
    const file = path.join(dir, 'f.json')
    if (existingMode !== undefined) writeFileSync(file, 'old', {mode: existingMode})
    await writeFileAtomicAsync(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(statSync(file).mode & 0o777).toBe(expected)
    expect(readdirSync(dir)).toEqual(['f.json'])
  })

  it('replaces the target of a symlink, never the link', async () => {
    const target = path.join(dir, 'target.json')
    writeFileSync(target, 'old')
    const link = path.join(dir, 'link.json')
    symlinkSync('target.json', link)
    expect(await writeFileAtomicAsync(link, Buffer.from('new'))).toBe(target)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('new')
  })

  it('rejects when the directory does not exist, leaving nothing behind', async () => {
    await expect(writeFileAtomicAsync(path.join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({code: 'ENOENT'})
    expect(readdirSync(dir)).toEqual([])
  })

  it('two overlapping writes leave one whole version and no temp file', async () => {
    const file = path.join(dir, 'f.json')
    await Promise.all([writeFileAtomicAsync(file, 'a'.repeat(10_000)), writeFileAtomicAsync(file, 'b'.repeat(10_000))])
    expect(['a'.repeat(10_000), 'b'.repeat(10_000)]).toContain(readFileSync(file, 'utf8'))
    expect(readdirSync(dir)).toEqual(['f.json'])
  })
})
