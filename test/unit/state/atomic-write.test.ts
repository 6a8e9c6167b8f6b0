import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {writeFileAtomic} from '../../../src/runtime/state/atomic-write.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('writeFileAtomic', () => {
  it.each([
    ['a new file', undefined, 0o600],
    ['an existing 0644 file', 0o644, 0o600],
  ])('writes %s with mode 0600 and leaves no temp file', (_name, existingMode, expected) => {
    const file = path.join(dir, 'f.json')
    if (existingMode !== undefined) writeFileSync(file, 'old', {mode: existingMode})
    writeFileAtomic(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(statSync(file).mode & 0o777).toBe(expected)
    expect(readdirSync(dir)).toEqual(['f.json'])
  })

  it('honours an explicit mode', () => {
    const file = path.join(dir, 'f')
    writeFileAtomic(file, Buffer.from('x'), {mode: 0o644})
    expect(statSync(file).mode & 0o777).toBe(0o644)
  })

  it.each([['relative', (target: string) => path.basename(target)], ['absolute', (target: string) => target]])(
    'replaces the target of a %s symlink, never the link',
    (_name, linkText) => {
      const target = path.join(dir, 'target.json')
      writeFileSync(target, 'old')
      const link = path.join(dir, 'link.json')
      symlinkSync(linkText(target), link)
      expect(writeFileAtomic(link, 'new')).toBe(target)
      expect(lstatSync(link).isSymbolicLink()).toBe(true)
      expect(readFileSync(target, 'utf8')).toBe('new')
    },
  )

  it('creates the target of a dangling symlink', () => {
    const target = path.join(dir, 'sub', 'target.json')
    mkdirSync(path.dirname(target))
    const link = path.join(dir, 'link.json')
    symlinkSync(target, link)
    writeFileAtomic(link, 'x')
    expect(readFileSync(target, 'utf8')).toBe('x')
  })

  it('throws and cleans up when the directory does not exist', () => {
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'f'), 'x')).toThrow(expect.objectContaining({code: 'ENOENT'}))
  })
})
