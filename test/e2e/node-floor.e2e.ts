import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {binPath, makeTempHome, repoRoot, type TempHome} from '../helpers/cli.js'

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

// engines allows Node >=20.5; vm.constants (the code-cache loader) arrived in 20.12.
describe('Node floor', () => {
  it('commands run on a Node without vm.constants (bundle loaded by require)', () => {
    const r = spawnSync(process.execPath, ['-r', path.join(repoRoot, 'test', 'fixtures', 'no-vm-constants.cjs'), binPath, 'config', 'get', 'gateway.port', '--json'], {env: t.env, cwd: t.home, encoding: 'utf8'})
    expect(r.stderr).not.toMatch(/TypeError/)
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ok: true, result: {value: 18789}})
  })
})
