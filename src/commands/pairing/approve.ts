import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

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
    account: Flags.string({description: 'Only match requests of this account'}),
    notify: Flags.boolean({description: 'Tell the user they were approved (a Telegram message)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(PairingApprove)
    const {approvePairing} = await import('../../runtime/channels/pairing-ops.js')
    const {result, line, warnings} = await approvePairing(this.context(), {channel: args.channel, code: args.code, notify: flags.notify, ...(flags.account ? {accountId: flags.account} : {})})
    this.addWarnings(warnings)
    return {result, human: line, log: {message: line}}
  }
}
