import {Flags} from '@oclif/core'

import {renderHealth} from '../ui/render-health.js'
import {BaseCommand, type Outcome} from './base-command.js'
import {clientFlags, jsonFlag} from './flags.js'

export default class Health extends BaseCommand {
  static override summary = 'Check that the gateway is up, ready and healthy'
  static override description = 'Calls the health RPC and GET /ready with the same credentials. Exit 0 when ready with nothing failing, 3 when reachable but not ready or a component fails, 1 when unreachable or refused.'
  static override examples = ['<%= config.bin %> health', '<%= config.bin %> health --json', '<%= config.bin %> health --verbose --url ws://10.0.0.5:18789 --token "$TOKEN"   # needs: network']
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    verbose: Flags.boolean({description: 'Force live channel probes (health RPC with probe: true)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Health)
    const {setupGatewayClient} = await import('../runtime/gateway/client/config.js')
    const {paths, env} = this.context()
    const {target, warnings} = setupGatewayClient({paths, env, flags})
    this.addWarnings(warnings)
    const {checkGatewayHealth, healthProblems} = await import('../runtime/gateway/client/health.js')
    const report = await checkGatewayHealth({target, timeoutMs: flags.timeout, clientInfo: {version: this.config.version}, probe: flags.verbose})
    const human = renderHealth(report)
    const problems = healthProblems(report)
    if (problems.length === 0) return {result: report, human}
    return {result: report, human, failure: {code: 'CHECKS_FAILED', message: `gateway at ${target.url} is not healthy: ${problems.join(', ')}`, hint: ['Live channel probes: openclaw health --verbose', 'Gateway log: openclaw logs --follow']}}
  }
}
