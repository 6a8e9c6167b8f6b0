import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class GatewayStop extends BaseCommand {
  static override summary = 'Stop the gateway service, or the foreground gateway of this state dir'
  static override description = 'Stops the installed service; without one, sends SIGTERM to the gateway named by locks/gateway.lock and waits for its drain. Nothing running is not an error.'
  static override examples = ['<%= config.bin %> gateway stop   # needs: service-manager', '<%= config.bin %> gateway stop --json   # needs: service-manager']
  static override changesState = true
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    await this.parse(GatewayStop)
    const {paths, env} = this.context()
    const {stopGateway} = await import('../../runtime/service/control.js')
    const result = await stopGateway({paths, env, interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY) && !this.jsonMode})
    const human = result.stopped ? `Gateway stopped${result.pid === null ? '' : ` (pid ${result.pid})`}.` : 'Gateway is not running.'
    return {result, human, log: result.stopped ? {message: `gateway stopped via ${result.via}`} : undefined}
  }
}
