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
    const now = Date.now()
    const rows = result.requests.map((r) => {
      const name = [r.firstName, r.lastName].filter(Boolean).join(' ')
      const age = Math.round((now - Date.parse(r.createdAt)) / 60_000)
      const left = Math.max(0, Math.round((Date.parse(r.expiresAt) - now) / 60_000))
      return `${r.code}  ${r.userId}  ${r.username ? '@' + r.username : '-'}  ${name || '-'}  ${r.accountId}  ${age}m ago  expires in ${left}m`
    })
    return {result, human: rows.length > 0 ? ['Code      User id  Username  Name  Account  Requested  Expires', ...rows] : 'No pending pairing requests.'}
  }
}
