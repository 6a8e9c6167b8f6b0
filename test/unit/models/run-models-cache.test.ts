// The runner's memo of the run models: a new config generation or a changed auth-profiles.json
// gives a fresh resolution on the very next turn; unchanged inputs reuse the last one.
import {mkdtempSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import {RunModelsCache} from '../../../src/runtime/models/run-models-cache.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-run-models-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const config = (model: string) => ConfigSchema.parse({agents: {defaults: {model}}})
const profiles = (key: string) => writeFileSync(path.join(dir, 'auth-profiles.json'), JSON.stringify({version: 1, profiles: {'openai:default': {type: 'api_key', provider: 'openai', key}}}))
const keysOf = (models: ReturnType<RunModelsCache['resolve']>) => models.candidates[0].keys.map((k) => `${k.source}=${k.key}`)

describe('RunModelsCache', () => {
  it('reuses a resolution while config and profiles are unchanged', () => {
    const cache = new RunModelsCache({OPENAI_API_KEY: 'sk-env'})
    const cfg = config('openai/a')
    const first = cache.resolve(cfg, {agentId: 'main', agentDir: dir})
    expect(cache.resolve(cfg, {agentId: 'main', agentDir: dir})).toBe(first)
    expect(cache.resolve(cfg, {agentId: 'main', override: 'openai/b', agentDir: dir}).candidates[0].model.ref).toBe('openai/b')
  })

  it('a new config generation resolves again', () => {
    const cache = new RunModelsCache({OPENAI_API_KEY: 'k'})
    expect(cache.resolve(config('openai/a'), {agentId: 'main'}).candidates[0].model.ref).toBe('openai/a')
    expect(cache.resolve(config('openai/b'), {agentId: 'main'}).candidates[0].model.ref).toBe('openai/b')
  })

  it('auth-profiles.json created, edited or removed is seen on the next resolution', () => {
    const cache = new RunModelsCache({OPENAI_API_KEY: 'sk-env'})
    const cfg = config('openai/a')
    const input = {agentId: 'main', agentDir: dir}
    expect(keysOf(cache.resolve(cfg, input))).toEqual(['env:OPENAI_API_KEY=sk-env'])
    profiles('sk-one')
    expect(keysOf(cache.resolve(cfg, input))).toEqual(['auth-profile:openai:default=sk-one', 'env:OPENAI_API_KEY=sk-env'])
    profiles('sk-two') // same length: mtime/ctime tell
    expect(keysOf(cache.resolve(cfg, input))).toEqual(['auth-profile:openai:default=sk-two', 'env:OPENAI_API_KEY=sk-env'])
    unlinkSync(path.join(dir, 'auth-profiles.json'))
    expect(keysOf(cache.resolve(cfg, input))).toEqual(['env:OPENAI_API_KEY=sk-env'])
  })

  it('a failed resolution is not kept: a key added to auth-profiles.json is seen at once', () => {
    const agentDir = mkdtempSync(path.join(dir, 'agent-'))
    const cache = new RunModelsCache({})
    const cfg = config('openai/a')
    expect(() => cache.resolve(cfg, {agentId: 'main', agentDir})).toThrow(/OPENAI_API_KEY/)
    writeFileSync(path.join(agentDir, 'auth-profiles.json'), JSON.stringify({version: 1, profiles: {'openai:default': {type: 'api_key', provider: 'openai', key: 'sk-late'}}}))
    expect(keysOf(cache.resolve(cfg, {agentId: 'main', agentDir}))).toEqual(['auth-profile:openai:default=sk-late'])
  })
})
