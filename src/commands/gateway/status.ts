import {Flags} from '@oclif/core'

import {AppError} from '../../runtime/errors/app-error.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, jsonFlag} from '../flags.js'

export default class GatewayStatus extends BaseCommand {
  static override summary = 'Show the gateway service, its port and an RPC probe'
  static override description =
    'Three views that each work when the others fail: the service manager (installed, enabled, state, PID, restarts, drift), the port (free or busy, owner PID) ' +
    'and a WebSocket probe. With the gateway down, "Down because" names which of the three failed. Exit 0 (also with an invalid config) unless --require-rpc.'

  static override examples = ['<%= config.bin %> gateway status', '<%= config.bin %> gateway status --json', '<%= config.bin %> gateway status --require-rpc']
  static override flags = {
    ...jsonFlag,
    port: clientFlags.port,
    token: clientFlags.token,
    password: clientFlags.password,
    timeout: Flags.integer({description: 'Probe timeout in milliseconds', default: 3000, min: 1}),
    'no-probe': Flags.boolean({description: 'Skip the RPC probe'}),
    'require-rpc': Flags.boolean({description: 'Exit 1 when the RPC probe fails'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayStatus)
    const {paths, env} = this.context()
    const {collectGatewayStatus} = await import('../../runtime/service/gateway-status.js')
    const report = await collectGatewayStatus({
      paths, env,
      flags: {port: flags.port, token: flags.token, password: flags.password},
      probe: !flags['no-probe'],
      timeoutMs: flags.timeout,
      clientInfo: {version: this.config.version},
      packageRoot: this.config.root,
    })
    const {renderGatewayStatus} = await import('../../ui/render-service.js')
    const human = renderGatewayStatus(report, paths.home)
    if (flags['require-rpc'] && report.probe?.ok !== true) {
      throw new AppError('GATEWAY_UNREACHABLE', this.jsonMode ? `RPC probe failed: ${report.probe?.error?.message ?? 'no answer'}` : `RPC probe failed\n${human.join('\n')}`, {
        result: report,
        hint: ['Start it: openclaw gateway start (or run it here: openclaw gateway run)'],
      })
    }
    return {result: report, human}
  }
}
