import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {loadPlistTemplate, renderLaunchdPlist} from '../../../src/runtime/service/render-plist.js'
import {loadUnitTemplate, renderSystemdUnit} from '../../../src/runtime/service/render-unit.js'
import {buildServiceSpec} from '../../../src/runtime/service/service-spec.js'
import {repoRoot} from '../../helpers/cli.js'
import {base, unitCases} from './unit-cases.js'

/**
 * Real validation (issue 8 item 2): every rendered unit goes through `systemd-analyze verify`,
 * and any output on stderr (a warning) fails. `.ci/run` installs systemd when it is missing.
 */
const analyze = spawnSync('systemd-analyze', ['--version'], {encoding: 'utf8'})
const haveAnalyze = analyze.status === 0
if (!haveAnalyze) console.warn('SKIPPED systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)')

const dir = mkdtempSync(path.join(os.tmpdir(), 'openclaw-verify-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe.skipIf(!haveAnalyze)('systemd-analyze verify', () => {
  const nodePath = realpathSync(process.execPath)
  const user = os.userInfo().username
  const template = loadUnitTemplate(repoRoot)
  for (const [name, c] of Object.entries(unitCases)) {
    it(`${name} passes with no warning`, () => {
      // Real files at the rendered paths, so verify can check the executable and directories.
      const entryPath = path.join(dir, name.replace(/\W+/g, '-'), c.input.entryPath)
      mkdirSync(path.dirname(entryPath), {recursive: true})
      writeFileSync(entryPath, '')
      const runAs = c.input.runAs === null ? null : {user, group: os.userInfo().gid === 0 ? 'root' : user}
      const spec = buildServiceSpec({...c.input, nodePath, entryPath, runAs})
      const file = path.join(dir, c.input.unitName)
      writeFileSync(file, renderSystemdUnit(template, {spec, description: c.description, memoryMax: c.memoryMax}))
      const result = spawnSync('systemd-analyze', ['verify', file], {encoding: 'utf8', env: {...process.env, SYSTEMD_LOG_COLOR: '0'}})
      expect(result.stderr.trim()).toBe('')
      expect(result.status).toBe(0)
    })
  }
})

const python = spawnSync('python3', ['-c', 'import plistlib'], {encoding: 'utf8'})
if (python.status !== 0) console.warn('SKIPPED plist parse: python3 with plistlib is not available')

describe.skipIf(python.status !== 0)('launchd plist', () => {
  it('parses with plistlib and holds the values given', () => {
    const spec = buildServiceSpec({...base, stateDir: '/Users/ana/odd <&> 100%', home: '/Users/ana', extraEnv: [['HTTPS_PROXY', 'http://p:3128']]})
    const file = path.join(dir, 'ai.openclaw.gateway.plist')
    writeFileSync(file, renderLaunchdPlist(loadPlistTemplate(repoRoot), {spec, label: 'ai.openclaw.gateway'}))
    const script = 'import plistlib,json,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))'
    const result = spawnSync('python3', ['-c', script, file], {encoding: 'utf8'})
    expect(result.stderr).toBe('')
    const plist = JSON.parse(result.stdout)
    expect(plist).toMatchObject({
      Label: 'ai.openclaw.gateway',
      ProgramArguments: spec.argv,
      WorkingDirectory: '/Users/ana/odd <&> 100%',
      RunAtLoad: true,
      KeepAlive: {SuccessfulExit: false},
      ThrottleInterval: 30,
      ExitTimeOut: 45,
      ProcessType: 'Interactive',
      Umask: 63,
      StandardInPath: '/dev/null',
      StandardOutPath: '/Users/ana/odd <&> 100%/logs/gateway.log',
      StandardErrorPath: '/Users/ana/odd <&> 100%/logs/gateway.err.log',
    })
    expect(plist.EnvironmentVariables).toMatchObject({HOME: '/Users/ana', OPENCLAW_SERVICE_MARKER: 'openclaw', HTTPS_PROXY: 'http://p:3128'})
    expect(existsSync(file)).toBe(true)
  })
})
