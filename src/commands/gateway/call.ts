import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags} from '../flags.js'

export default class GatewayCall extends BaseCommand {
  static override summary = 'Call a gateway RPC method and print its answer'
  static override description = 'Connects like the reference client (protocol 3-4, client "cli"), sends one request and prints the payload. With --json a success prints the bare payload; a failure prints the error envelope.'
  static override examples = [
    '<%= config.bin %> gateway call health',
    '<%= config.bin %> gateway call status --json',
    '<%= config.bin %> gateway call config.get --url ws://127.0.0.1:18789 --token "$OPENCLAW_GATEWAY_TOKEN"',
    `<%= config.bin %> gateway call agent --params '{message: "hello"}' --expect-final   # needs: model`,
  ]
  static override bareJsonResult = true
  static override args = {method: Args.string({description: 'RPC method, e.g. health, status, config.get', required: true})}
  static override flags = {
    ...clientFlags,
    json: Flags.boolean({description: 'Print the bare payload as JSON on success; the {"ok":false,"error":…} envelope on failure'}),
    params: Flags.string({description: 'Method params as a JSON5 object', default: '{}'}),
    'expect-final': Flags.boolean({description: 'Wait for the final response of agent (default --timeout becomes 600000)'}),
    'idempotency-key': Flags.string({description: 'Idempotency key (generated for agent, send and chat.send when absent)'}),
  }


  protected async perform(): Promise<Outcome> {
    const {args, flags, metadata} = await this.parse(GatewayCall)
    const {buildCallParams} = await import('../../runtime/gateway/client/call-params.js')
    const {setupGatewayClient} = await import('../../runtime/gateway/client/config.js')
    const params = buildCallParams(args.method, flags.params, flags['idempotency-key'])
    const {paths, env} = this.context()
    const {target, warnings} = setupGatewayClient({paths, env, flags})
    this.addWarnings(warnings)
    const timeoutMs = flags['expect-final'] && metadata.flags.timeout?.setFromDefault === true ? 600_000 : flags.timeout
    const {callGateway} = await import('../../runtime/gateway/client/client.js')
    const {payload} = await callGateway({...target, timeoutMs, clientInfo: {version: this.config.version}, method: args.method, params, expectFinal: flags['expect-final']})
    return {result: payload, human: JSON.stringify(payload ?? null, null, 2)}
  }
}
