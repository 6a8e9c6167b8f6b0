import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {serviceToolsHome} from '../helpers/service-tools-home.js'

const svc = serviceToolsHome()
const setup = svc.setup

describe('gateway service control (fake systemctl)', () => {
  it('status reports the installed unit, the free port and the failed probe; stop, start --wait 0 and uninstall act on the unit', async () => {
    const env = setup({FAKE_UID: '1000', FAKE_USER: 'ana', FAKE_GROUP: 'ana', FAKE_USER_BUS: '1', FAKE_LINGER: 'yes', OPENCLAW_GATEWAY_PORT: '1'})
    const installed = await runCli(['gateway', 'install', '--json', '--wait', '0'], {env})
    expect(installed.json.result.linger).toBe('yes')

    const status = await runCli(['gateway', 'status', '--json', '--timeout', '500'], {env})
    expect(status.code).toBe(0)
    const report = status.json.result
    expect(report.service).toMatchObject({manager: 'systemd', scope: 'user', installed: true, enabled: true, active: true, pid: 4242, generatedByOpenclaw: true, drift: [], stateDir: svc.home.stateDir})
    expect(report.port).toMatchObject({port: 1, source: 'env', status: 'free'})
    expect(report.probe).toMatchObject({ok: false, error: {code: 'GATEWAY_UNREACHABLE'}})
    expect(report.failed.map((f: {view: string}) => f.view)).toEqual(['port', 'probe'])

    const stop = await runCli(['gateway', 'stop', '--json'], {env})
    expect(stop.json.result).toMatchObject({stopped: true, via: 'systemd', pid: 4242})
    expect(svc.fake.calls()).toContain('systemctl --user stop openclaw-gateway.service')
    const down = await runCli(['gateway', 'status', '--no-probe'], {env})
    expect(down.stdout).toContain('Service:   systemd user unit openclaw-gateway.service: enabled, inactive (dead)')
    expect(down.stdout).toContain('  - service: openclaw-gateway.service is dead')

    const start = await runCli(['gateway', 'start', '--json', '--wait', '0'], {env})
    expect(start.json.result).toMatchObject({action: 'start', via: 'systemd', result: 'not-waited'})
    expect(svc.fake.calls()).toContain('systemctl --user start openclaw-gateway.service')

    const removed = await runCli(['gateway', 'uninstall', '--json'], {env})
    const unitPath = path.join(svc.home.home, '.config/systemd/user/openclaw-gateway.service')
    expect(removed.json.result.removed).toEqual([unitPath, path.join(svc.home.stateDir, 'gateway.env')])
    expect(existsSync(unitPath)).toBe(false)
    expect(svc.fake.calls().slice(-2)).toEqual(['systemctl --user disable --now openclaw-gateway.service', 'systemctl --user daemon-reload'])
    const again = await runCli(['gateway', 'uninstall'], {env})
    expect(again.stdout).toBe('No gateway service installed.\n')
  })

  it('start without a service names install and run; start refuses an invalid config', async () => {
    const env = setup()
    const r = await runCli(['gateway', 'start'], {env})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error (SERVICE_NOT_INSTALLED)')
    expect(r.stderr).toContain('Install it: openclaw gateway install')
    const {mkdirSync, writeFileSync} = await import('node:fs')
    mkdirSync(svc.home.stateDir, {recursive: true, mode: 0o700})
    writeFileSync(path.join(svc.home.stateDir, 'openclaw.json'), '{gateway: {port: "nope"}}')
    const bad = await runCli(['gateway', 'start', '--json'], {env})
    expect(bad.json.error.code).toBe('CONFIG_INVALID')
  })
})
