import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class GatewayUninstall extends BaseCommand {
  static override summary = 'Stop and remove the gateway service'
  static override description = 'Stops and disables the service, deletes the unit (or plist), its .bak and the service env file, and reloads systemd. Your config and state are kept.'
  static override examples = ['<%= config.bin %> gateway uninstall   # needs: service-manager', 'sudo <%= config.bin %> gateway uninstall --scope system   # needs: service-manager']
  static override changesState = true
  static override flags = {
    ...jsonFlag,
    scope: Flags.string({description: 'Only this scope (default: whichever is installed)', options: ['user', 'system']}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayUninstall)
    const {paths, env} = this.context()
    const {uninstallGatewayService} = await import('../../runtime/service/control.js')
    const result = await uninstallGatewayService({paths, env, scope: flags.scope as 'user' | 'system' | undefined, interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.jsonMode})
    const human = result.removed.length === 0 ? 'No gateway service installed.' : ['Removed the gateway service:', ...result.removed.map((p) => `  ${p}`)]
    return {result, human, log: result.removed.length > 0 ? {message: `gateway service removed: ${result.removed.join(', ')}`} : undefined}
  }
}
