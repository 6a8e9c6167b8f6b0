import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ChannelsAdd extends BaseCommand {
  static override summary = 'Add a Telegram bot account'
  static override changesState = true
  static override description = 'Checks the token with getMe against channels.telegram.apiRoot (a 401 refuses it; an unreachable API only warns), then writes it into the config file atomically.'
  static override examples = [
    '<%= config.bin %> channels add --channel telegram --token 123456:ABC-your-token-from-BotFather',
    '<%= config.bin %> channels add --channel telegram --account work --name "Work bot" --token 654321:XYZ-work-token-from-BotFather',
  ]
  static override flags = {
    ...jsonFlag,
    channel: Flags.string({description: 'Channel type', options: ['telegram'], default: 'telegram'}),
    account: Flags.string({description: 'Account id', default: 'default'}),
    token: Flags.string({description: 'Bot token from @BotFather', required: true}),
    name: Flags.string({description: 'Display name of the account'}),
    'no-verify': Flags.boolean({description: 'Do not call getMe to check the token'}),
    force: Flags.boolean({description: 'Replace the token of an existing account'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ChannelsAdd)
    const {addTelegramChannel} = await import('../../runtime/channels/manage-channels.js')
    const {result, warnings} = await addTelegramChannel({...this.context(), version: this.config.version}, {
      token: flags.token, accountId: flags.account, ...(flags.name ? {name: flags.name} : {}), verify: !flags['no-verify'], force: flags.force,
    })
    this.addWarnings(warnings)
    const bot = result.botUsername ? ` (@${result.botUsername})` : ''
    return {result, human: `Added telegram account ${result.accountId}${bot}. Start it: openclaw gateway run`, log: {message: `channels add telegram ${result.accountId}`, data: {verified: result.verified}}}
  }
}
