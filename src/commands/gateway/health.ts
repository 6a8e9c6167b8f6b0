import {Flags} from '@oclif/core'

import {renderHealth} from '../../ui/render-health.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, jsonFlag} from '../flags.js'

export default class GatewayHealth extends BaseCommand {
  static override summary = "Print the gateway's raw health snapshot"
  static override description = 'Calls the health RPC. Exit 0 when healthy, 3 when a configured channel account is not running, 1 when the gateway is unreachable or refuses the credentials.'
  static override examples = ['<%= config.bin %> gateway health', '<%= config.bin %> gateway health --probe --json']
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    probe: Flags.boolean({description: 'Force live channel probes before answering'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayHealth)
    const {setupGatewayClient} = await import('../../runtime/gateway/client/config.js')
    const {paths, env} = this.context()
    const {target, warnings} = setupGatewayClient({paths, env, flags})
    this.addWarnings(warnings)
    const {probeGateway} = await import('../../runtime/gateway/client/probe.js')
    const {snapshotProblems} = await import('../../runtime/gateway/client/health.js')
    const probe = await probeGateway({target, timeoutMs: flags.timeout, clientInfo: {version: this.config.version}, health: flags.probe ? 'live' : 'cached'})
    if (probe.failure !== null) throw probe.failure
    const payload = probe.health ?? {}
    const view = {...payload, url: target.url, latencyMs: probe.latencyMs ?? 0, serverVersion: probe.serverVersion ?? '', uptimeMs: probe.uptimeMs}
    const human = renderHealth(view)
    const problems = snapshotProblems(payload)
    if (problems.length === 0) return {result: payload, human}
    return {result: payload, human, failure: {code: 'CHECKS_FAILED', message: `gateway at ${target.url} is not healthy: ${problems.join(', ')}`, hint: ['Live channel probes: openclaw gateway health --probe', 'Gateway log: openclaw logs --follow']}}
  }
}
