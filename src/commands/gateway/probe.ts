import {renderProbe} from '../../ui/render-health.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, jsonFlag} from '../flags.js'

export default class GatewayProbe extends BaseCommand {
  static override summary = 'Probe the loopback gateway and the configured remote one'
  static override description = 'Handshakes with ws://127.0.0.1:<port>, gateway.remote.url (when set) and --url (when given). Exit 0 if any answered, else 1.'
  static override examples = ['<%= config.bin %> gateway probe', '<%= config.bin %> gateway probe --json --timeout 3000']
  static override flags = {...jsonFlag, ...clientFlags}

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayProbe)
    const {setupGatewayClient} = await import('../../runtime/gateway/client/config.js')
    const {resolveProbeTargets} = await import('../../runtime/gateway/client/target.js')
    const {paths, env} = this.context()
    const {inputs, warnings} = setupGatewayClient({paths, env, flags})
    this.addWarnings(warnings)
    const {probeGateways} = await import('../../runtime/gateway/client/health.js')
    const targets = await probeGateways(resolveProbeTargets(inputs), {timeoutMs: flags.timeout, clientInfo: {version: this.config.version}})
    const result = {targets}
    const human = renderProbe(targets)
    if (targets.some((t) => t.reachable)) return {result, human}
    return {
      result,
      human,
      failure: {code: 'GATEWAY_UNREACHABLE', message: `no gateway answered (tried ${targets.map((t) => t.url).join(', ')})`, hint: ['Start it: openclaw gateway start (or run it here: openclaw gateway run)'], details: {targets}},
    }
  }
}
