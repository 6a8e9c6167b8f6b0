import {execFileSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {resolveIncludes} from '../../../src/runtime/config/includes.js'

let root: string
/** The top config's directory (`<root>/state`); `<root>/outside` is beyond it. */
let dir: string
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'openclaw-includes-')))
  dir = path.join(root, 'state')
  mkdirSync(dir)
  mkdirSync(path.join(root, 'outside'))
})
afterEach(() => {
  chmodSync(root, 0o700)
  rmSync(root, {recursive: true, force: true})
})

/** Writes files relative to `dir` (objects as JSON), then resolves `top` as `<dir>/openclaw.json`. */
function run(top: Record<string, unknown>, files: Record<string, unknown> = {}, includeRoots: string[] = []) {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  }
  return resolveIncludes(top, {topFile: path.join(dir, 'openclaw.json'), includeRoots: includeRoots.map((r) => path.join(dir, r)), home: root})
}

const sub = (text: string) => text.replaceAll('<dir>', dir).replaceAll('<root>', root)

describe('resolveIncludes: resolution', () => {
  it.each([
    {
      name: 'string form replaces the object',
      top: {gateway: {$include: './gateway.json5'}},
      files: {'gateway.json5': '{port: 19000, /* json5 */ auth: {mode: "token",},}'},
      tree: {gateway: {port: 19000, auth: {mode: 'token'}}},
    },
    {
      name: 'string form without siblings may hold an array',
      top: {agents: {list: {$include: './list.json5'}}},
      files: {'list.json5': [{id: 'a'}, {id: 'b'}]},
      tree: {agents: {list: [{id: 'a'}, {id: 'b'}]}},
    },
    {
      name: 'siblings deep-merge over the included object',
      top: {gateway: {$include: './gw.json5', port: 1, auth: {token: 't'}}},
      files: {'gw.json5': {port: 2, bind: 'lan', auth: {mode: 'token', token: 'old'}, list: [1, 2]}},
      tree: {gateway: {port: 1, bind: 'lan', auth: {mode: 'token', token: 't'}, list: [1, 2]}},
    },
    {
      name: 'array form merges in order, arrays replaced whole, then siblings',
      top: {tools: {$include: ['./a.json5', './b.json5'], deny: ['z']}},
      files: {'a.json5': {allow: ['x', 'y'], deny: ['q'], exec: {timeoutSec: 1, yieldMs: 2}}, 'b.json5': {allow: ['w'], exec: {timeoutSec: 9}}},
      tree: {tools: {allow: ['w'], deny: ['z'], exec: {timeoutSec: 9, yieldMs: 2}}},
    },
    {
      name: 'nested includes resolve relative to the including file',
      top: {models: {$include: './sub/models.json5'}},
      files: {'sub/models.json5': {providers: {$include: './providers.json5'}}, 'sub/providers.json5': {local: {baseUrl: 'http://x'}}},
      tree: {models: {providers: {local: {baseUrl: 'http://x'}}}},
    },
    {
      name: 'include sites inside arrays',
      top: {agents: {list: [{id: 'main'}, {$include: './agent.json5'}]}},
      files: {'agent.json5': {id: 'ops'}},
      tree: {agents: {list: [{id: 'main'}, {id: 'ops'}]}},
    },
    {
      name: 'absolute paths inside the config dir are fine',
      top: {gateway: {$include: '<dir>/gw.json5'}},
      files: {'gw.json5': {port: 5}},
      tree: {gateway: {port: 5}},
    },
    {
      name: '../ paths that land inside are fine',
      top: {gateway: {$include: './sub/../gw.json5'}},
      files: {'gw.json5': {port: 6}},
      tree: {gateway: {port: 6}},
    },
    {
      name: 'an empty $include array leaves the siblings',
      top: {gateway: {$include: [], port: 7}},
      files: {},
      tree: {gateway: {port: 7}},
    },
    {
      name: 'a UTF-8 BOM is ignored',
      top: {gateway: {$include: './bom.json5'}},
      files: {'bom.json5': '\uFEFF{port: 8}'},
      tree: {gateway: {port: 8}},
    },
  ])('$name', ({top, files, tree}) => {
    const result = run(JSON.parse(sub(JSON.stringify(top))), files)
    expect(result.issues).toEqual([])
    expect(result.tree).toEqual(tree)
  })

  it('reports where included values came from and every file read', () => {
    const result = run(
      {gateway: {$include: './gw.json5', port: 1}, models: {$include: './sub/models.json5'}, session: {scope: 'global'}},
      {'gw.json5': {port: 2, auth: {token: 't'}}, 'sub/models.json5': {mode: 'merge', providers: {$include: './p.json5'}}, 'sub/p.json5': {'my.host': {baseUrl: 'u'}}},
    )
    const gw = path.join(dir, 'gw.json5')
    const models = path.join(dir, 'sub/models.json5')
    const providers = path.join(dir, 'sub/p.json5')
    expect(Object.fromEntries(result.origins)).toEqual({
      gateway: gw,
      'gateway.auth': gw,
      'gateway.auth.token': gw,
      models,
      'models.mode': models,
      'models.providers': providers,
      'models.providers["my.host"]': providers,
      'models.providers["my.host"].baseUrl': providers,
    })
    expect(result.files).toEqual([gw, models, providers])
  })

  it('returns the same tree and no origins when there is no $include', () => {
    const top = {gateway: {port: 1}}
    const result = run(top)
    expect(result.tree).toBe(top)
    expect(result.origins.size).toBe(0)
    expect(result.files).toEqual([])
  })

  it('accepts a file outside the config dir when OPENCLAW_INCLUDE_ROOTS allows it', () => {
    writeFileSync(path.join(root, 'outside/gw.json5'), '{port: 9}')
    const result = run({gateway: {$include: '../outside/gw.json5'}}, {}, ['../outside'])
    expect(result.issues).toEqual([])
    expect(result.tree).toEqual({gateway: {port: 9}})
  })

  it('accepts exactly 10 levels of nesting', () => {
    const names = 'abcdefghij'.split('')
    const files = Object.fromEntries(names.map((n, i) => [`${n}.json5`, i === names.length - 1 ? {leaf: true} : {next: {$include: `./${names[i + 1]}.json5`}}]))
    const result = run({x: {$include: './a.json5'}}, files)
    expect(result.issues).toEqual([])
    expect(JSON.stringify(result.tree)).toContain('"leaf":true')
  })
})

describe('resolveIncludes: errors', () => {
  const big = 'x'.repeat(Math.floor(3.1 * 1024 * 1024))

  it.each([
    {name: 'bad $include value', top: {gateway: {$include: 42}}, files: {}, path: 'gateway.$include', message: '$include must be a string or an array of strings'},
    {name: 'array with a non-string', top: {gateway: {$include: ['./a.json5', 1]}}, files: {}, path: 'gateway.$include', message: '$include must be a string or an array of strings'},
    {name: 'missing file', top: {gateway: {$include: './x.json5'}}, files: {}, path: 'gateway.$include', message: 'file not found: ./x.json5 (resolved to <dir>/x.json5)'},
    {name: 'outside the config dir', top: {gateway: {$include: '../outside/x.json5'}}, files: {'../outside/x.json5': {}}, path: 'gateway.$include', message: '../outside/x.json5 resolves outside <dir>; add its directory to OPENCLAW_INCLUDE_ROOTS to allow it'},
    {name: 'absolute path outside', top: {gateway: {$include: '<root>/outside/x.json5'}}, files: {'../outside/x.json5': {}}, path: 'gateway.$include', message: '<root>/outside/x.json5 resolves outside <dir>; add its directory to OPENCLAW_INCLUDE_ROOTS to allow it'},
    {name: 'too large', top: {models: {$include: './big.json5'}}, files: {'big.json5': big}, path: 'models.$include', message: './big.json5 is 3.1 MB; included files are limited to 2 MB'},
    {name: 'a directory', top: {models: {$include: './sub'}}, files: {'sub/x.json5': {}}, path: 'models.$include', message: './sub is not a regular file (it is a directory)'},
    {name: 'parse error with line and column', top: {models: {$include: './x.json5'}}, files: {'x.json5': '{\n  a: 1,\n  b: @\n}'}, path: 'models.$include', message: "./x.json5:3:6: invalid character '@'"},
    {name: 'non-object with siblings', top: {agents: {$include: './list.json5', defaults: {}}}, files: {'list.json5': [1]}, path: 'agents.$include', message: './list.json5 must contain an object when $include has sibling keys or is an array'},
    {name: 'non-object in array form', top: {agents: {$include: ['./list.json5']}}, files: {'list.json5': '"text"'}, path: 'agents.$include', message: './list.json5 must contain an object when $include has sibling keys or is an array'},
    {name: 'NUL byte in the path', top: {a: {$include: './x\0.json5'}}, files: {}, path: 'a.$include', message: '$include path contains a NUL byte'},
    {name: 'path over 4096 chars', top: {a: {$include: './' + 'x'.repeat(4095)}}, files: {}, path: 'a.$include', message: '$include path is longer than 4096 characters'},
    {name: 'include at the root', top: {$include: './nope.json5'}, files: {}, path: '$include', message: 'file not found: ./nope.json5 (resolved to <dir>/nope.json5)'},
    {name: 'quoted keys in the issue path', top: {models: {providers: {'my.host': {$include: 7}}}}, files: {}, path: 'models.providers["my.host"].$include', message: '$include must be a string or an array of strings'},
  ])('$name', ({top, files, path: issuePath, message}) => {
    const result = run(JSON.parse(sub(JSON.stringify(top))), files)
    // Without the top file's text there is no line, but the issue names the file holding the $include.
    expect(result.issues).toEqual([{path: issuePath, message: sub(message), code: 'CONFIG_INCLUDE', file: path.join(dir, 'openclaw.json')}])
  })

  it('names the including file for errors inside included files', () => {
    const result = run({models: {$include: './sub/models.json5'}}, {'sub/models.json5': {providers: {$include: './missing.json5'}}})
    expect(result.issues).toEqual([
      {path: 'models.providers.$include', message: `file not found: ./missing.json5 (resolved to ${dir}/sub/missing.json5)`, file: path.join(dir, 'sub/models.json5'), line: 1, column: 15, code: 'CONFIG_INCLUDE'},
    ])
    expect(result.files).toContain(path.join(dir, 'sub/missing.json5'))
  })

  it('names the chain of a cycle', () => {
    const result = run({agents: {$include: './a.json5'}}, {'a.json5': {x: {$include: './b.json5'}}, 'b.json5': {y: {$include: './a.json5'}}})
    expect(result.issues).toEqual([
      {path: 'agents.x.y.$include', message: 'circular include: openclaw.json -> a.json5 -> b.json5 -> a.json5', file: path.join(dir, 'b.json5'), line: 1, column: 7, code: 'CONFIG_INCLUDE'},
    ])
  })

  it('detects a file including the top config', () => {
    const result = run({agents: {$include: './a.json5'}}, {'openclaw.json': {agents: {$include: './a.json5'}}, 'a.json5': {x: {$include: './openclaw.json'}}})
    expect(result.issues[0].message).toBe('circular include: openclaw.json -> a.json5 -> openclaw.json')
  })

  it('stops at 11 levels of nesting', () => {
    const names = 'abcdefghijk'.split('')
    const files = Object.fromEntries(names.map((n, i) => [`${n}.json5`, i === names.length - 1 ? {leaf: true} : {next: {$include: `./${names[i + 1]}.json5`}}]))
    const result = run({x: {$include: './a.json5'}}, files)
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]).toMatchObject({message: 'includes nested deeper than 10 levels: openclaw.json -> a.json5 -> ... -> k.json5', file: path.join(dir, 'j.json5'), code: 'CONFIG_INCLUDE'})
  })

  it('confines symlinks by their real path', () => {
    writeFileSync(path.join(root, 'outside/secret.json5'), '{a: 1}')
    symlinkSync(path.join(root, 'outside/secret.json5'), path.join(dir, 'link.json5'))
    const result = run({x: {$include: './link.json5'}})
    expect(result.issues[0].message).toBe(`./link.json5 resolves outside ${dir}; add its directory to OPENCLAW_INCLUDE_ROOTS to allow it`)
  })

  it('refuses a FIFO without blocking on it', () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.json5')])
    const result = run({x: {$include: './pipe.json5'}})
    expect(result.issues).toEqual([{path: 'x.$include', message: './pipe.json5 is not a regular file (it is a FIFO)', code: 'CONFIG_INCLUDE', file: path.join(dir, 'openclaw.json')}])
  })

  it('reports an unreadable file without a stack trace', () => {
    writeFileSync(path.join(dir, 'locked.json5'), '{a: 1}')
    chmodSync(path.join(dir, 'locked.json5'), 0o000)
    const result = run({x: {$include: './locked.json5'}})
    // root reads anything; everyone else gets the permission issue.
    if (process.getuid?.() === 0) expect(result.tree).toEqual({x: {a: 1}})
    else expect(result.issues).toEqual([{path: 'x.$include', message: 'cannot read ./locked.json5: permission denied', code: 'CONFIG_INCLUDE'}])
  })

  it('collects every include error and keeps the rest of the tree', () => {
    const result = run({a: {$include: './nope1.json5', keep: 1}, b: {$include: './ok.json5'}, c: {$include: './nope2.json5'}}, {'ok.json5': {fine: true}})
    expect(result.issues.map((i) => i.path)).toEqual(['a.$include', 'c.$include'])
    expect(result.tree).toEqual({a: {keep: 1}, b: {fine: true}, c: {}})
  })
})
