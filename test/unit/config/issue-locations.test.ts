import {mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {formatIssue} from '../../../src/runtime/config/issues.js'
import {json5Positions} from '../../../src/runtime/config/json5-positions.js'
import {loadConfig} from '../../../src/runtime/config/load.js'
import {resolvePaths} from '../../../src/runtime/paths.js'

describe('json5Positions', () => {
  it.each([
    {name: 'plain JSON', text: '{\n  "gateway": {\n    "port": 1\n  }\n}', expect: {'': [1, 1], gateway: [2, 3], 'gateway.port': [3, 5]}},
    {name: 'bare and single-quoted keys, comments, trailing commas', text: "// top\n{gateway: { /* c */ 'bind': 'lan', port: 0x10,},\n  session: {scope: 'global'},}", expect: {gateway: [2, 2], 'gateway.bind': [2, 21], 'gateway.port': [2, 36], 'session.scope': [3, 13]}},
    {name: 'array elements', text: '{agents: {list: [\n  {id: "a"},\n  {id: "b", model: "m"},\n]}}', expect: {'agents.list[0]': [2, 3], 'agents.list[1].model': [3, 13]}},
    {name: 'strings holding braces, quotes and escapes', text: '{a: "}{,\\"", b: \'it\\\'s\', "c.d": [1, -Infinity, NaN], e: true}', expect: {b: [1, 14], e: [1, 54], '["c.d"]': [1, 26], '["c.d"][2]': [1, 48]}},
    {name: 'CRLF and a multi-line string', text: '{\r\n  a: "x\\\r\ny",\r\n  b: 1\r\n}', expect: {a: [2, 3], b: [4, 3]}},
    {name: 'a duplicated key maps to its last occurrence', text: '{a: 1,\n a: 2}', expect: {a: [2, 2]}},
    {name: 'non-ASCII keys', text: '{"clé": {ünï: 1}}', expect: {'["clé"]': [1, 2], '["clé"]["ünï"]': [1, 10]}},
  ])('$name', ({text, expect: expected}) => {
    const positions = json5Positions(text)
    for (const [key, [line, column]] of Object.entries(expected)) expect(positions.get(key), key).toEqual({line, column})
  })

  it('returns what it found before text it does not understand, without throwing', () => {
    const positions = json5Positions('{a: 1, b: @}')
    expect(positions.get('a')).toEqual({line: 1, column: 2})
    expect(positions.has('c')).toBe(false)
  })
})

let home: string
let stateDir: string
beforeEach(() => {
  home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'openclaw-issue-loc-')))
  stateDir = path.join(home, '.openclaw')
  mkdirSync(stateDir, {recursive: true})
})
afterEach(() => rmSync(home, {recursive: true, force: true}))

function load(files: Record<string, string | undefined>, env: NodeJS.ProcessEnv = {}) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(stateDir, name)), {recursive: true})
    if (text !== undefined) writeFileSync(path.join(stateDir, name), text)
  }
  return loadConfig({paths: resolvePaths({env: {HOME: home}, cwd: home}), env, shellEnv: false})
}

describe('loadConfig: each issue names the file, line and column of its key', () => {
  it.each([
    {
      name: 'key beside an $include is the including file\'s',
      files: {'openclaw.json': '{\n  gateway: {\n    $include: "./gateway.json5",\n    bogus: 1,\n  },\n}', 'gateway.json5': '{\n  port: 19001,\n}'},
      issue: {path: 'gateway.bogus', file: 'openclaw.json', line: 4, column: 5},
    },
    {
      name: 'key inside the included file',
      files: {'openclaw.json': '{gateway: {$include: "./gateway.json5", bind: "lan"}}', 'gateway.json5': '{\n  port: 19001,\n  mode: "local",\n  nope: true,\n}'},
      issue: {path: 'gateway.nope', file: 'gateway.json5', line: 4, column: 3},
    },
    {
      name: 'nested include: the innermost file',
      files: {'openclaw.json': '{models: {$include: "./sub/models.json5"}}', 'sub/models.json5': '{\n  providers: {$include: "./p.json5"},\n}', 'sub/p.json5': '{\n  "my.host": {\n    baseUrl: 42,\n  },\n}'},
      issue: {path: 'models.providers["my.host"].baseUrl', file: 'sub/p.json5', line: 3, column: 5},
    },
    {
      name: 'array include: the file whose value won',
      files: {'openclaw.json': '{gateway: {$include: ["./a.json5", "./b.json5"]}}', 'a.json5': '{port: "x", bind: "lan"}', 'b.json5': '{\n\n  port: "y"}'},
      issue: {path: 'gateway.port', file: 'b.json5', line: 3, column: 3},
    },
    {
      name: 'override order: a sibling beats the included value',
      files: {'openclaw.json': '{\n  gateway: {\n    port: "abc",\n    $include: "./gateway.json5",\n  },\n}', 'gateway.json5': '{port: 1, bind: "lan"}'},
      issue: {path: 'gateway.port', file: 'openclaw.json', line: 3, column: 5},
    },
    {
      name: 'missing variable in an included file',
      files: {'openclaw.json': '{channels: {$include: "./tg.json5"}}', 'tg.json5': '{\n  telegram: {\n    botToken: "${TG_TOKEN}"}}'},
      issue: {path: 'channels.telegram.botToken', file: 'tg.json5', line: 3, column: 5},
    },
    {
      name: 'include error at the $include key of the including file',
      files: {'openclaw.json': '{\n  agents: {\n    $include: "./missing.json5"}}'},
      issue: {path: 'agents.$include', file: 'openclaw.json', line: 3, column: 5},
    },
    {
      name: 'a missing required key points at its parent',
      files: {'openclaw.json': '{\n  gateway: {bind: "custom"},\n}'},
      issue: {path: 'gateway.customBindHost', file: 'openclaw.json', line: 2, column: 3},
    },
  ])('$name', ({files, issue}) => {
    const loaded = load(files)
    const found = loaded.issues.find((i) => i.path === issue.path)
    expect(found, JSON.stringify(loaded.issues)).toMatchObject({...issue, file: path.join(stateDir, issue.file)})
    expect(formatIssue(found!, home)).toContain(`[in ~/.openclaw/${issue.file}:${issue.line}:${issue.column}]`)
  })

  it('a config without issues pays nothing for locating', () => {
    expect(load({'openclaw.json': '{gateway: {port: 19001}}'}).issues).toEqual([])
  })
})
