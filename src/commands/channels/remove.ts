import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ChannelsRemove extends BaseCommand {
  static override summary = 'Remove a Telegram bot account from the config'
  static override changesState = true
  static override description = 'Writes the config atomically; a running gateway stops that account on the reload and leaves the others alone. Shared settings (apiRoot, dmPolicy, groups) stay. With --delete-credentials the account\'s approved senders and pending pairing requests move to <state dir>/backups/.'
  static override examples = [
    '<%= config.bin %> channels remove --channel telegram --account work',
    '<%= config.bin %> channels remove --channel telegram --delete-credentials --json',
  ]
  static override flags = {
    ...jsonFlag,
    channel: Flags.string({description: 'Channel type', options: ['telegram'], default: 'telegram'}),
    account: Flags.string({description: 'Account id', default: 'default'}),
    'delete-credentials': Flags.boolean({description: 'Also move its allowFrom and pairing files to backups/', aliases: ['delete']}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ChannelsRemove)
    const {removeTelegramChannel} = await import('../../runtime/channels/remove-channel.js')
    const {result, warnings} = await removeTelegramChannel({...this.context(), version: this.config.version}, {accountId: flags.account, deleteCredentials: flags['delete-credentials']})
    this.addWarnings(warnings)
    const moved = result.credentialsMovedTo ? `; its approved senders and pairing requests are in ${result.credentialsMovedTo}` : ''
    return {result, human: `Removed telegram account ${result.accountId}${moved}.`, log: {message: `channels remove telegram ${result.accountId}`}}
  }
}
