import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {createHash} from 'node:crypto'

import {afterEach, describe, expect, it} from 'vitest'

import {configSourceHash, configuredSecrets, secretValuesIn, syncConfigEnv} from '../../../../src/runtime/gateway/lifecycle/config-source.js'
import type {Config} from '../../../../src/runtime/config/schema/index.js'

let dir: string | undefined
afterEach(() => {
  if (dir !== undefined) rmSync(dir, {recursive: true, force: true})
  dir = undefined
})

describe('configSourceHash (protocol.md §6.3)', () => {
  it('is sha256 over path, NUL, bytes, NUL of each file in order', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'oc-hash-'))
    const top = path.join(dir, 'openclaw.json')
    const inc = path.join(dir, 'agents.json5')
    writeFileSync(top, '{"$include": "./agents.json5"}')
    writeFileSync(inc, '{}')
    const expected = createHash('sha256').update(`${top}\0{"$include": "./agents.json5"}\0${inc}\0{}\0`).digest('hex')
    expect(configSourceHash([top, inc])).toBe(`sha256:${expected}`)
    const before = configSourceHash([top, inc])
    writeFileSync(inc, '{ }')
    expect(configSourceHash([top, inc])).not.toBe(before)
  })

  it('is null without a top file', () => {
    expect(configSourceHash([path.join(os.tmpdir(), 'no-such-dir-oc', 'openclaw.json')])).toBeNull()
  })
})

describe('syncConfigEnv (config.md §3.1: a reload updates exactly the config-origin variables)', () => {
  it.each([
    {name: 'changed value updates', target: {A: 'old', KEEP: 'x'}, source: {A: 'new'}, previous: ['A'], next: ['A'], expected: {A: 'new', KEEP: 'x'}},
    {name: 'removed entry disappears', target: {A: 'old', B: 'b', KEEP: 'x'}, source: {B: 'b'}, previous: ['A', 'B'], next: ['B'], expected: {B: 'b', KEEP: 'x'}},
    {name: 'new entry appears', target: {KEEP: 'x'}, source: {C: 'c'}, previous: [], next: ['C'], expected: {C: 'c', KEEP: 'x'}},
    {name: 'a variable from a higher source is never touched', target: {SHELL_SET: 'mine'}, source: {}, previous: [], next: [], expected: {SHELL_SET: 'mine'}},
  ])('$name', ({target, source, previous, next, expected}) => {
    const env: NodeJS.ProcessEnv = {...target}
    syncConfigEnv(env, source, previous, next)
    expect(env).toEqual(expected)
  })
})

describe('secret values for log redaction', () => {
  it('collects schema secrets and the resolved gateway secrets, not ${VAR} references', () => {
    const config = {gateway: {auth: {token: 'cfg-token'}, remote: {token: '${REMOTE}'}}, models: {providers: {x: {apiKey: 'sk-123'}}}, agents: {list: [{id: 'main'}]}}
    expect(secretValuesIn(config).sort()).toEqual(['cfg-token', 'sk-123'])
    expect(configuredSecrets(config as unknown as Config, {token: 'flag-token'}).sort()).toEqual(['cfg-token', 'flag-token', 'sk-123'])
    expect(configuredSecrets(null, {password: 'p'})).toEqual(['p'])
  })
})
