import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {serviceToolsHome} from '../helpers/service-tools-home.js'

const svc = serviceToolsHome()
const setup = svc.setup

const systemctlCalls = () => svc.fake.calls().filter((c) => c.startsWith('systemctl ') && !c.includes('show-environment') && !c.includes('is-active'))

describe('gateway install (fake systemctl, redirected system paths)', () => {
  it('as root writes the system unit with every directive and calls daemon-reload, enable, restart in order', async () => {
    const env = setup()
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(r.stderr).toBe('')
    expect(r.json.ok).toBe(true)
    const result = r.json.result
    const unitPath = path.join(svc.fake.systemRoot, 'etc/systemd/system/openclaw-gateway.service')
    expect(result).toMatchObject({manager: 'systemd', scope: 'system', unitPath, backup: null, changed: true, started: true, linger: 'n/a'})
    expect(result.steps.map((s: {id: string; status: string}) => `${s.id}:${s.status}`)).toEqual(['write-unit:done', 'env-file:done', 'daemon-reload:done', 'enable:done', 'start:done', 'wait:skipped'])
    const unit = readFileSync(unitPath, 'utf8')
    for (const line of ['User=root', 'Group=root', 'WantedBy=multi-user.target', 'Restart=always', 'RestartPreventExitStatus=78', 'SuccessExitStatus=0 143', 'KillMode=mixed', 'TimeoutStopSec=45', 'UMask=0077', `Environment=OPENCLAW_STATE_DIR=${svc.home.stateDir}`, 'Environment=OPENCLAW_SERVICE_MARKER=openclaw', `EnvironmentFile=-${svc.fake.systemRoot}/etc/openclaw/openclaw-gateway.env`]) {
      expect(unit.split('\n')).toContain(line)
    }
    expect(unit).toMatch(/^ExecStart=\S+node --max-old-space-size=\d+ \S+\/bin\/run\.js gateway run$/m)
    expect(statSync(unitPath).mode & 0o777).toBe(0o644)
    expect(statSync(result.envFile).mode & 0o777).toBe(0o600)
    expect(systemctlCalls()).toEqual(['systemctl daemon-reload', 'systemctl enable openclaw-gateway.service', 'systemctl restart openclaw-gateway.service'])
    // The preflight made the config runnable: mode local and a generated token, never in the unit.
    const config = JSON.parse(readFileSync(path.join(svc.home.stateDir, 'openclaw.json'), 'utf8'))
    expect(config.gateway.mode).toBe('local')
    expect(config.gateway.auth.token).toMatch(/^[0-9a-f]{64}$/)
    expect(unit).not.toContain(config.gateway.auth.token)
  })

  it('a second run leaves the unit byte-identical, makes no .bak and does not restart', async () => {
    const env = setup()
    expect((await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})).code).toBe(0)
    const unitPath = path.join(svc.fake.systemRoot, 'etc/systemd/system/openclaw-gateway.service')
    const first = readFileSync(unitPath)
    const before = systemctlCalls().length
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(r.json.result).toMatchObject({changed: false, started: false, backup: null})
    expect(readFileSync(unitPath).equals(first)).toBe(true)
    expect(existsSync(`${unitPath}.bak`)).toBe(false)
    expect(systemctlCalls().slice(before)).toEqual(['systemctl enable openclaw-gateway.service'])
    const human = await runCli(['gateway', 'install', '--wait', '0'], {env})
    expect(human.stdout).toContain('Gateway service already installed and running (openclaw-gateway.service).')
  })

  it('a changed option rewrites the unit once, keeps a .bak and restarts', async () => {
    const env = setup()
    await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0', '--memory-max', '768M'], {env})
    const unitPath = r.json.result.unitPath
    expect(r.json.result).toMatchObject({changed: true, started: true, backup: `${unitPath}.bak`})
    expect(readFileSync(unitPath, 'utf8')).toContain('MemoryMax=768M')
    expect(readFileSync(unitPath, 'utf8')).toContain('--max-old-space-size=460 ')
    // Read back on a plain re-run: the memory limit stays.
    const again = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(again.json.result.changed).toBe(false)
  })

  it('as a user with a user bus writes the user unit and enables linger', async () => {
    const env = setup({FAKE_UID: '1000', FAKE_USER: 'ana', FAKE_GROUP: 'ana', FAKE_USER_BUS: '1'})
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(r.json.ok).toBe(true)
    const unitPath = path.join(svc.home.home, '.config/systemd/user/openclaw-gateway.service')
    expect(r.json.result).toMatchObject({scope: 'user', unitPath, envFile: path.join(svc.home.stateDir, 'gateway.env'), linger: 'enabled'})
    const unit = readFileSync(unitPath, 'utf8')
    expect(unit).toContain('WantedBy=default.target')
    expect(unit).not.toContain('User=')
    const calls = svc.fake.calls().filter((c) => !c.startsWith('id '))
    expect(calls).toEqual(expect.arrayContaining(['systemctl --user daemon-reload', 'systemctl --user enable openclaw-gateway.service', 'systemctl --user restart openclaw-gateway.service', 'loginctl show-user ana --property=Linger', 'loginctl enable-linger ana']))
    expect(calls.indexOf('systemctl --user daemon-reload')).toBeLessThan(calls.indexOf('systemctl --user restart openclaw-gateway.service'))
  })

  it('as a user without a user bus installs a system unit through sudo that runs as that user', async () => {
    const env = setup({FAKE_UID: '1000', FAKE_USER: 'ana', FAKE_GROUP: 'ana'})
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(r.json.error).toBeUndefined()
    expect(r.json.result.scope).toBe('system')
    expect(r.json.result.notices).toContain('No systemd user session for ana; installing a system service that runs as ana (needs sudo).')
    const unit = readFileSync(r.json.result.unitPath, 'utf8')
    expect(unit).toContain('User=ana\nGroup=ana\n')
    expect(unit).toContain(`Environment=HOME=${svc.home.home}`)
    expect(svc.fake.calls()).toEqual(expect.arrayContaining(['sudo -n systemctl daemon-reload', 'sudo -n systemctl enable openclaw-gateway.service', 'sudo -n systemctl restart openclaw-gateway.service']))
    expect(svc.fake.calls().some((c) => c.startsWith('sudo -n install -D -m 0644 '))).toBe(true)
  })

  it('without a user bus and without sudo it refuses with the three ways out', async () => {
    const env = setup({FAKE_UID: '1000', FAKE_USER: 'ana', FAKE_GROUP: 'ana', FAKE_NO_SUDO: '1'})
    const r = await runCli(['gateway', 'install'], {env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("Error (SERVICE_NO_USER_BUS): Can't reach the systemd user manager for ana, and sudo isn't available to install a system service.")
    expect(r.stderr).toContain('sudo env "PATH=$PATH" openclaw gateway install --scope system --run-as ana')
    expect(r.stderr).toContain('sudo loginctl enable-linger ana && openclaw gateway install')
    expect(existsSync(path.join(svc.home.stateDir, 'openclaw.json'))).toBe(false)
  })

  it('refuses to replace a unit openclaw did not write unless --force, then keeps a .bak', async () => {
    const env = setup()
    const unitPath = path.join(svc.fake.systemRoot, 'etc/systemd/system/openclaw-gateway.service')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(path.dirname(unitPath), {recursive: true})
    writeFileSync(unitPath, '[Service]\nExecStart=/bin/true\n')
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(r.json.error.code).toBe('SERVICE_UNIT_FOREIGN')
    expect(readFileSync(unitPath, 'utf8')).toBe('[Service]\nExecStart=/bin/true\n')
    const forced = await runCli(['gateway', 'install', '--json', '--wait', '0', '--force'], {env})
    expect(forced.json.result.backup).toBe(`${unitPath}.bak`)
    expect(readFileSync(`${unitPath}.bak`, 'utf8')).toBe('[Service]\nExecStart=/bin/true\n')
  })

  it('as root with --run-as writes User= and hands the config it wrote to that user', async () => {
    const env = setup()
    env.OPENCLAW_STATE_DIR = svc.home.stateDir
    const r = await runCli(['gateway', 'install', '--json', '--wait', '0', '--run-as', 'nobody'], {env})
    expect(r.json.error).toBeUndefined()
    expect(readFileSync(r.json.result.unitPath, 'utf8')).toContain('\nUser=nobody\n')
    expect(statSync(path.join(svc.home.stateDir, 'openclaw.json')).uid).toBe(65534)
  })

  it('--no-start enables but neither starts nor waits', async () => {
    const env = setup()
    const r = await runCli(['gateway', 'install', '--json', '--no-start'], {env})
    expect(r.json.result).toMatchObject({started: false, ready: null})
    expect(systemctlCalls()).toEqual(['systemctl daemon-reload', 'systemctl enable openclaw-gateway.service'])
  })
})

describe('gateway install without a service manager', () => {
  it('explains that systemd is not running and prints the foreground commands', async () => {
    const env = setup()
    const {rmSync} = await import('node:fs')
    rmSync(path.join(svc.fake.systemRoot, 'run'), {recursive: true})
    const r = await runCli(['gateway', 'install'], {env})
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Error (SERVICE_UNSUPPORTED): systemd is not running on this machine')
    expect(r.stderr).toContain('  * Run it in the foreground (inside tmux or screen): openclaw gateway run\n')
    expect(r.stderr).toContain('nohup openclaw gateway run >/dev/null 2>&1 &')
    expect(existsSync(path.join(svc.home.stateDir, 'openclaw.json'))).toBe(false)
  })
})
