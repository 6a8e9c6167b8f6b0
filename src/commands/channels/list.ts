import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ChannelsList extends BaseCommand {
  static override summary = 'List chat channel accounts from the config'
  static override description = 'One row per Telegram account: id, name, enabled, whether a token is configured and where it comes from, and the DM policy. Reads the config only.'
  static override examples = ['<%= config.bin %> channels list', '<%= config.bin %> channels list --json']
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    await this.parse(ChannelsList)
    const {listChannels} = await import('../../runtime/channels/manage-channels.js')
    const result = listChannels(this.context())
    const rows = result.channels.flatMap((c) => c.accounts.map((a) => `${c.channel}  ${a.accountId}${a.default ? ' (default)' : ''}  ${a.enabled ? 'enabled' : 'disabled'}  token: ${a.tokenSource}  dm: ${a.dmPolicy}${a.name ? `  "${a.name}"` : ''}`))
    return {result, human: rows.length > 0 ? rows : 'No channels configured. Add one: openclaw channels add --channel telegram --token <token>'}
  }
}
