import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class GatewayRestart extends BaseCommand {
  static override summary = 'Restart the gateway service (or a foreground gateway) and wait until it is ready'
  static override description = 'Restarts the installed service; a foreground `gateway run` gets SIGUSR1 (an in-process restart). Refuses an invalid config (the service would only exit 78).'
  static override examples = ['<%= config.bin %> gateway restart   # needs: service-manager', '<%= config.bin %> gateway restart --wait 60 --json   # needs: service-manager']
  static override changesState = true
  static override flags = {
    ...jsonFlag,
    wait: Flags.integer({description: 'Seconds to wait for the gateway to be ready (0: do not wait)', default: 30, min: 0}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayRestart)
    const {paths, env} = this.context()
    const {startGateway} = await import('../../runtime/service/control.js')
    const result = await startGateway({paths, env, waitSeconds: flags.wait, interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.jsonMode}, 'restart')
    const {renderStartResult} = await import('../../ui/render-service.js')
    return {result, human: renderStartResult(result), log: {message: `gateway ${result.action} via ${result.via}`}}
  }
}
