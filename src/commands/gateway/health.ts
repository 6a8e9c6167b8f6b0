import {Flags} from '@oclif/core'

import {AppError} from '../../runtime/errors/app-error.js'
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
    const {callGateway} = await import('../../runtime/gateway/client/client.js')
    const {snapshotProblems} = await import('../../runtime/gateway/client/health.js')
    const call = await callGateway<Record<string, unknown>>({...target, timeoutMs: flags.timeout, clientInfo: {version: this.config.version}, method: 'health', params: flags.probe ? {probe: true} : {}})
    const view = {...call.payload, url: target.url, latencyMs: call.latencyMs, serverVersion: call.hello.server.version, uptimeMs: call.hello.snapshot.uptimeMs ?? null}
    const human = renderHealth(view)
    const problems = snapshotProblems(call.payload)
    if (problems.length > 0) {
      const summary = `gateway at ${target.url} is not healthy: ${problems.join(', ')}`
      throw new AppError('CHECKS_FAILED', this.jsonMode ? summary : `${summary}\n${human.join('\n')}`, {result: call.payload, hint: ['Live channel probes: openclaw gateway health --probe', 'Gateway log: openclaw logs --follow']})
    }
    return {result: call.payload, human}
  }
}
