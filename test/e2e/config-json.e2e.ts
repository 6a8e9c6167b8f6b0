import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {makeTempHome, runCli, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

const invalid = () => {
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), '{gateway: {port: "abc"}}')
}
const unparsable = () => {
  mkdirSync(t.stateDir, {recursive: true, mode: 0o700})
  writeFileSync(path.join(t.stateDir, 'openclaw.json'), '{gateway: ')
}

/** [command line, setup, expected ok]. */
const runs: Array<[string[], () => void, boolean]> = [
  [['config', 'file'], () => {}, true],
  [['config', 'file'], unparsable, true],
  [['config', 'get', 'gateway.port'], () => {}, true],
  [['config', 'get', 'nope'], () => {}, false],
  [['config', 'get', 'a..b'], () => {}, false],
  [['config', 'get', 'gateway.port'], unparsable, false],
  [['config', 'set', 'gateway.port', '19000'], () => {}, true],
  [['config', 'set', 'gateway.port', 'abc'], () => {}, false],
  [['config', 'set', 'gateway.port'], () => {}, false],
  [['config', 'set', 'gateway.port', '1', '--merge', '--replace'], () => {}, false],
  [['config', 'set', 'gateway.port', '1'], unparsable, false],
  [['config', 'unset', 'gateway.port'], () => {}, false],
  [['config', 'unset', 'gateway.port'], invalid, true],
  [['config', 'patch', '--stdin'], () => {}, true],
  [['config', 'patch'], () => {}, false],
  [['config', 'validate'], () => {}, true],
  [['config', 'validate'], invalid, false],
  [['config', 'schema'], () => {}, true],
]

describe('--json prints exactly one JSON document on stdout', () => {
  it.each(runs)('%j', async (args, setup, ok) => {
    setup()
    const r = await runCli([...args, '--json'], {env: t.env, input: '{logging: {level: "debug"}}'})
    expect(() => JSON.parse(r.stdout)).not.toThrow()
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    expect(r.json.ok).toBe(ok)
    expect(r.code === 0).toBe(ok)
    expect(Array.isArray(r.json.warnings)).toBe(true)
  })
})

describe('openclaw config schema', () => {
  it('prints the JSON Schema (2020-12) with descriptions and defaults', async () => {
    const r = await runCli(['config', 'schema'], {env: t.env})
    expect(r.code).toBe(0)
    const schema = JSON.parse(r.stdout)
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.type).toBe('object')
    expect(schema.properties.gateway.properties.port).toMatchObject({type: 'integer', default: 18789})
    expect(typeof schema.properties.gateway.description).toBe('string')
    const j = await runCli(['config', 'schema', '--json'], {env: t.env})
    expect(j.json.result).toEqual(schema)
  })
})
