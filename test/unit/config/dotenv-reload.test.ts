import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {reloadStateDotenv} from '../../../src/runtime/config/env-sources.js'
import {dotenvReloadLine} from '../../../src/runtime/gateway/lifecycle/startup-log.js'

let home: string
let stateDir: string
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-dotenv-reload-'))
  stateDir = path.join(home, '.openclaw')
  mkdirSync(stateDir)
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

describe('reloadStateDotenv (SIGHUP)', () => {
  it.each([
    {name: 'a changed value updates', before: 'A=1\nB=2\n', after: 'A=1\nB=3\n', env: {}, expected: {A: '1', B: '3'}, changed: ['B'], added: [], removed: []},
    {name: 'a new line is added, a removed line disappears', before: 'A=1\n', after: 'C=x\n', env: {}, expected: {A: undefined, C: 'x'}, changed: [], added: ['C'], removed: ['A']},
    {name: 'the process env still wins', before: 'A=1\n', after: 'A=2\nP=file\n', env: {P: 'process'}, expected: {A: '2', P: 'process'}, changed: ['A'], added: [], removed: []},
    {name: 'a deleted file removes what it set', before: 'A=1\n', after: null, env: {}, expected: {A: undefined}, changed: [], added: [], removed: ['A']},
  ])('$name', ({before, after, env: initial, expected, changed, added, removed}) => {
    const file = path.join(stateDir, '.env')
    const env: NodeJS.ProcessEnv = {...initial}
    writeFileSync(file, before)
    const first = reloadStateDotenv(env, {stateDir, previous: []})
    if (after === null) rmSync(file)
    else writeFileSync(file, after)
    const result = reloadStateDotenv(env, {stateDir, previous: first.applied})
    for (const [name, value] of Object.entries(expected)) expect(env[name], name).toBe(value)
    expect({changed: result.changed, added: result.added, removed: result.removed}).toEqual({changed, added, removed})
  })

  it('the log line names variables, never values', () => {
    expect(dotenvReloadLine({file: `${home}/.openclaw/.env`, changed: ['GW_TOKEN'], added: ['X'], removed: []}, home)).toBe('re-read ~/.openclaw/.env: changed GW_TOKEN; added X')
    expect(dotenvReloadLine({file: `${home}/.openclaw/.env`, changed: [], added: [], removed: []}, home)).toBe('re-read ~/.openclaw/.env: no variable changed')
  })
})
