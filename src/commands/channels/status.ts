import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ChannelsStatus extends BaseCommand {
  static override summary = 'Show the state of each channel account'
  static override description = 'Without a running gateway the view comes from the config alone; --probe also calls getMe per account (never polls) and exits 3 when an enabled account fails.'
  static override examples = ['<%= config.bin %> channels status', '<%= config.bin %> channels status --probe --json']
  static override flags = {
    ...jsonFlag,
    probe: Flags.boolean({description: 'Call getMe for every account'}),
    timeout: Flags.integer({description: 'Probe timeout in milliseconds', default: 5000, min: 1}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ChannelsStatus)
    const {localChannelsStatus} = await import('../../runtime/channels/manage-channels.js')
    const result = await localChannelsStatus(this.context(), {probe: flags.probe, timeoutMs: flags.timeout})
    const human = result.channels.map((a) => {
      const state = a.probe ? (a.probe.ok ? `ok @${a.probe.botUsername}` : `FAILED: ${a.probe.error}`) : a.running ? (a.connected ? 'connected' : 'running') : 'not running'
      return `${a.channel}  ${a.accountId}  ${a.enabled ? 'enabled' : 'disabled'}  ${a.mode}  token: ${a.tokenSource}  ${state}${a.lastError ? `\n  ${a.lastError}` : ''}`
    })
    const failed = flags.probe && result.channels.some((a) => a.enabled && a.probe?.ok === false)
    if (failed) {
      const {AppError} = await import('../../runtime/errors/app-error.js')
      throw new AppError('CHECKS_FAILED', 'a telegram account failed its probe', {result, hint: ['check the token with @BotFather', 'openclaw channels list']})
    }
    return {result, human: human.length > 0 ? human : 'No channels configured. Add one: openclaw channels add --channel telegram --token <token>'}
  }
}
