import {Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {clientFlags, clientTarget, jsonFlag, timeoutFlag} from '../flags.js'

export default class ChannelsStatus extends BaseCommand {
  static override summary = 'Show the state of each channel account'
  static override description = 'Asks the running gateway (channels.status: running, connected, last error, polling conflict); without a gateway at the default loopback target the view comes from the config alone; --probe also calls getMe per account (never polls) and exits 3 when an enabled account fails.'
  static override examples = ['<%= config.bin %> channels status', '<%= config.bin %> channels status --probe --json   # needs: network']
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    probe: Flags.boolean({description: 'Call getMe for every account'}),
    timeout: timeoutFlag(5000, 'Timeout in milliseconds (gateway call and probe)'),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ChannelsStatus)
    const {channelsStatus} = await import('../../runtime/channels/gateway-or-local.js')
    const {result, warnings} = await channelsStatus({
      ...this.context(), flags: clientTarget(flags), timeoutMs: flags.timeout, clientInfo: {version: this.config.version},
    }, {probe: flags.probe})
    this.addWarnings(warnings)
    const failed = flags.probe && result.channels.some((a) => a.enabled && a.probe?.ok === false)
    if (failed) {
      const {AppError} = await import('../../runtime/errors/app-error.js')
      throw new AppError('CHECKS_FAILED', 'a telegram account failed its probe', {result, hint: ['check the token with @BotFather', 'openclaw channels list']})
    }
    const {renderChannelsStatus} = await import('../../ui/render-channels.js')
    return {result, human: renderChannelsStatus(result.channels)}
  }
}
