import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class PairingList extends BaseCommand {
  static override summary = 'List pending DM pairing requests'
  static override description = 'Unknown senders who DM a bot with dmPolicy "pairing" get a code; this lists the codes still pending (they expire 1 hour after they were issued).'
  static override examples = ['<%= config.bin %> pairing list', '<%= config.bin %> pairing list telegram --account work --json']
  static override args = {channel: Args.string({description: 'Channel (telegram)'})}
  static override flags = {...jsonFlag, account: Flags.string({description: 'Only this account'})}

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(PairingList)
    const {listPairing} = await import('../../runtime/channels/pairing-ops.js')
    const result = listPairing(this.context(), {...(args.channel ? {channel: args.channel} : {}), ...(flags.account ? {accountId: flags.account} : {})})
    const {renderPairingList} = await import('../../ui/render-pairing.js')
    return {result, human: renderPairingList(result.requests, Date.now())}
  }
}
