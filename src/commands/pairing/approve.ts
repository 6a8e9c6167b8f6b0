import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, jsonFlag} from '../flags.js'

export default class PairingApprove extends BaseCommand {
  static override summary = 'Approve a DM pairing code'
  static override changesState = true
  static override description = 'Adds the sender to credentials/telegram-<account>-allowFrom.json and removes the request; a running gateway sees it on the next message. Codes are case-insensitive.'
  static override examples = ['<%= config.bin %> pairing approve telegram K7PW3XQM   # needs: network', '<%= config.bin %> pairing approve telegram k7pw-3xqm --account work --notify   # needs: network']
  static override args = {
    channel: Args.string({description: 'Channel (telegram)', required: true}),
    code: Args.string({description: 'The pairing code the user received', required: true}),
  }
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    account: Flags.string({description: 'Only match requests of this account'}),
    notify: Flags.boolean({description: 'Tell the user they were approved (a Telegram message, sent by the running gateway when there is one)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(PairingApprove)
    const {approvePairing, approvePairingNotify} = await import('../../runtime/channels/pairing-ops.js')
    const input = {channel: args.channel, code: args.code, ...(flags.account ? {accountId: flags.account} : {})}
    const client = {...this.context(), flags: {url: flags.url, token: flags.token, password: flags.password, port: flags.port}, timeoutMs: flags.timeout, clientInfo: {version: this.config.version}}
    const {result, line, warnings} = flags.notify ? await approvePairingNotify(client, input) : await approvePairing(this.context(), {...input, notify: false})
    this.addWarnings(warnings)
    return {result, human: line, log: {message: line}}
  }
}
