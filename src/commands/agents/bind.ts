import {Args, Flags} from '@oclif/core'

import {describeMatch} from '../../ui/render-agents.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsBind extends BaseCommand {
  static override summary = 'Route a channel, account or chat to an agent'
  static override changesState = true
  static override description = 'Appends a bindings[] entry. Without --account the binding matches only the channel\'s default account; --account "*" matches any. An identical binding is a no-op.'
  static override examples = ['<%= config.bin %> agents bind work --channel telegram --account workbot', '<%= config.bin %> agents bind family --channel telegram --peer group:-1001234567890 --json']

  static override args = {id: Args.string({description: 'Agent id', required: true})}

  static override flags = {
    ...jsonFlag,
    channel: Flags.string({description: 'Channel id (telegram)', required: true}),
    account: Flags.string({description: 'Account id, or * for any account'}),
    peer: Flags.string({description: 'Conversation: direct:<id>, group:<id> or channel:<id>'}),
    comment: Flags.string({description: 'Free text stored with the binding'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(AgentsBind)
    const {bindAgent} = await import('../../runtime/agents/agents-admin.js')
    const {changed, ...result} = await bindAgent({...this.context(), version: this.config.version}, {id: args.id, channel: flags.channel, account: flags.account, peer: flags.peer, comment: flags.comment})
    return {result, human: changed ? `Bound ${describeMatch(result.binding.match)} → ${result.binding.agentId} (bindings[${result.index}])` : 'No change'}
  }
}
