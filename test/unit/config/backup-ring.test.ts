import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {backupRing, isOwnWriteFormat} from '../../../src/runtime/config/edit/backup-ring.js'
import {writeOwnedConfig} from '../../../src/runtime/config/edit/owned-write.js'
import {setAtPath} from '../../../src/runtime/config/edit/tree-ops.js'

let root: string
let configPath: string
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'backup-ring-'))
  configPath = path.join(root, 'state', 'openclaw.json')
  mkdirSync(path.dirname(configPath), {recursive: true, mode: 0o700})
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

const setPort = (port: number) => (current: {topTree: Record<string, unknown>}) => ({tree: setAtPath(current.topTree, ['gateway', 'port'], port) as Record<string, unknown>, info: null})
const write = (port: number) => writeOwnedConfig({configPath, home: root, env: {}, version: '9.9.9', now: () => new Date(0), lockWaitMs: 300}, setPort(port))
const portIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as {gateway: {port: number}}).gateway.port

describe('config backups: a ring of five and the last hand-written version (issue 9 item 10)', () => {
  it('keeps .bak … .bak.4, newest first, dropping the oldest', async () => {
    writeFileSync(configPath, '{"gateway": {"port": 1}}')
    for (let port = 2; port <= 8; port++) await write(port)
    expect(backupRing(configPath).map(portIn)).toEqual([7, 6, 5, 4, 3])
    expect(existsSync(`${configPath}.bak.5`)).toBe(false)
    for (const file of backupRing(configPath)) expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('keeps the hand-written file with its comments after any number of owned writes, until it is edited by hand again', async () => {
    const hand = '// my gateway\n{gateway: {port: 1,},}\n'
    writeFileSync(configPath, hand)
    const first = await write(2)
    expect(first.warnings.join('\n')).toContain('openclaw.json.hand.bak')
    for (let port = 3; port <= 9; port++) await write(port)
    expect(readFileSync(`${configPath}.hand.bak`, 'utf8')).toBe(hand)
    const again = '/* edited again */ {gateway: {port: 20}}\n'
    writeFileSync(configPath, again)
    await write(21)
    expect(readFileSync(`${configPath}.hand.bak`, 'utf8')).toBe(again)
  })

  it.each([
    ['our own output', JSON.stringify({a: 1}, null, 2) + '\n', true],
    ['a comment', '// x\n{"a": 1}\n', false],
    ['other indentation', '{"a": 1}', false],
    ['not JSON', '{a: 1}', false],
  ])('isOwnWriteFormat: %s', (_name, text, own) => {
    expect(isOwnWriteFormat(Buffer.from(text))).toBe(own)
  })
})
