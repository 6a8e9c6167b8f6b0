import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class GatewayInstall extends BaseCommand {
  static override summary = 'Install the gateway as a systemd or launchd service'
  static override description =
    'Writes a systemd unit (user scope, or a system unit for root and for users without a systemd user session) or a launchd agent, ' +
    'enables and starts it, and waits until the gateway is ready. Re-running it changes nothing when nothing changed; a changed unit is kept as <unit>.bak.'

  static override examples = [
    '<%= config.bin %> gateway install   # needs: service-manager',
    '<%= config.bin %> gateway install --scope system --run-as ana --memory-max 512M   # needs: service-manager',
    '<%= config.bin %> gateway install --no-start --json   # needs: service-manager',
  ]

  static override changesState = true
  static override flags = {
    ...jsonFlag,
    scope: Flags.string({description: 'user or system unit; auto picks system for root and for users without a systemd user session', options: ['auto', 'user', 'system'], default: 'auto'}),
    'run-as': Flags.string({description: 'Account a system unit runs as (default: SUDO_USER, else the current user)'}),
    port: Flags.integer({description: 'Pin the service to this port (otherwise it follows gateway.port)', min: 1, max: 65_535}),
    'memory-max': Flags.string({description: 'MemoryMax of the unit: auto (50% of RAM, 256M-1G), a size (512M, 1G), a percentage (40%) or none; the Node heap is 60% of it'}),
    env: Flags.string({description: 'KEY=VALUE for the service env file (repeatable)', multiple: true}),
    force: Flags.boolean({description: 'Replace a unit that was not written by openclaw (a .bak copy is kept)'}),
    'no-start': Flags.boolean({description: 'Write and enable the unit, but do not start or restart it'}),
    wait: Flags.integer({description: 'Seconds to wait for the gateway to be ready after starting it (0: do not wait)', default: 30, min: 0}),
    'non-interactive': Flags.boolean({description: 'Never prompt (sudo runs with -n)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayInstall)
    const {paths, env} = this.context()
    const {prepareGatewayInstall, runStep} = await import('../../runtime/service/install.js')
    const tty = Boolean(process.stderr.isTTY && process.stdin.isTTY) && !this.jsonMode && !flags['non-interactive']
    const prepared = await prepareGatewayInstall({
      paths,
      env,
      version: this.config.version,
      packageRoot: this.config.root,
      scope: flags.scope as 'auto' | 'user' | 'system',
      runAs: flags['run-as'],
      port: flags.port,
      memoryMax: flags['memory-max'],
      envAssignments: flags.env,
      force: flags.force,
      noStart: flags['no-start'],
      waitSeconds: flags.wait,
      interactive: tty,
    })
    const {renderInstallResult, runServiceSteps} = await import('../../ui/service-steps.js')
    for (const notice of prepared.plan.notices) if (!this.jsonMode) process.stderr.write(`${notice}\n`)
    await runServiceSteps(prepared.steps, (step) => runStep(prepared, step), {tty})
    const result = prepared.result()
    this.addWarnings(result.warnings)
    return {result, human: renderInstallResult(result), log: result.changed ? {message: `gateway service installed: ${result.unitPath}`} : undefined}
  }
}
