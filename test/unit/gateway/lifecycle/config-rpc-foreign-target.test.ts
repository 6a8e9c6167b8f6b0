/**
 * Issue 6, defect 4: `config.set`/`config.apply` replace an unparsable config (that is how a
 * broken file is recovered over RPC), but never a symlink target that is not a config, nor a
 * file that does not look like one. The target stays byte-identical.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {looksLikeConfig} from '../../../../src/runtime/config/edit/owned-write.js'
import type {AppError} from '../../../../src/runtime/errors/app-error.js'
import {appErrorShape} from '../../../../src/runtime/gateway/server/app-error-wire.js'
import {readConfigSnapshot, type ConfigRpcHost} from '../../../../src/runtime/gateway/lifecycle/config-rpc.js'
import {writeConfigDocument} from '../../../../src/runtime/gateway/lifecycle/config-rpc-write.js'
import {resolvePaths} from '../../../../src/runtime/paths.js'

let home: string
let host: ConfigRpcHost
let configPath: string

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'oc-rpc-foreign-'))
  mkdirSync(path.join(home, '.openclaw'), {mode: 0o700})
  const paths = resolvePaths({env: {HOME: home}, cwd: home})
  configPath = paths.configPath
  host = {
    paths, version: '9.9.9', env: {HOME: home},
    envFromConfig: () => [],
    exclusive: (fn) => fn(),
    written: () => undefined,
    applyNow: async () => ({restart: false}),
  }
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

describe('RPC writes refuse to replace a foreign file (issue 6, defect 4)', () => {
  it.each(['config.set', 'config.apply'] as const)('%s through a symlink to a non-config file: refused, target untouched', async (method) => {
    const target = path.join(home, 'passwd')
    const original = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n'
    writeFileSync(target, original)
    symlinkSync(target, configPath)
    const baseHash = readConfigSnapshot(host).hash as string
    const refused = await writeConfigDocument(host, {method, raw: '{gateway: {mode: "local"}}', baseHash}).then(() => undefined, (error: unknown) => error)
    expect(refused).toMatchObject({code: 'CONFIG_EDIT_REFUSED', message: `~/.openclaw/openclaw.json is a symlink to ${target}, which is not a parsable config; refusing to replace it`})
    // On the wire (dispatch maps AppErrors in one place): a failed precondition naming our code.
    expect(appErrorShape(refused as AppError)).toMatchObject({code: 'INVALID_REQUEST', details: {code: 'CONFIG_EDIT_REFUSED'}})
    expect(readFileSync(target, 'utf8')).toBe(original)
  })

  it('a regular file that is not a config at all: refused; a broken config: replaced', async () => {
    writeFileSync(configPath, 'root:x:0:0:root:/root:/bin/bash\n')
    let baseHash = readConfigSnapshot(host).hash as string
    await expect(writeConfigDocument(host, {method: 'config.set', raw: '{}', baseHash})).rejects.toMatchObject({code: 'CONFIG_EDIT_REFUSED'})
    writeFileSync(configPath, '{gateway: {mode: "local",,}}')
    baseHash = readConfigSnapshot(host).hash as string
    const out = await writeConfigDocument(host, {method: 'config.set', raw: '{gateway: {mode: "local"}}', baseHash})
    expect(out.noop).toBe(false)
  })

  it.each([
    ['an object', '{"a":1}', true],
    ['a broken object after comments and a BOM', '\uFEFF// mine\n/* x */ {a: 1,,', true],
    ['an empty file', '', true],
    ['a passwd file', 'root:x:0:0::/root:/bin/sh\n', false],
    ['an array', '[1, 2]', false],
    ['binary', 'x\u0000y', false],
  ])('looksLikeConfig: %s → %s', (_name, text, expected) => {
    expect(looksLikeConfig(Buffer.from(text, 'utf8'))).toBe(expected)
  })
})
