import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsUnbind extends BaseCommand {
  static override summary = 'Remove bindings of an agent'
  static override changesState = true
  static override description = 'Removes the agent\'s bindings that match every filter given (--all: all of them). Nothing matched exits 1.'
  static override examples = ['<%= config.bin %> agents unbind work --channel telegram --account workbot', '<%= config.bin %> agents unbind family --all --json']

  static override args = {id: Args.string({description: 'Agent id', required: true})}

  static override flags = {
    ...jsonFlag,
    channel: Flags.string({description: 'Only bindings of this channel'}),
    account: Flags.string({description: 'Only bindings of this account id (or *)'}),
    peer: Flags.string({description: 'Only bindings of this conversation (direct:<id>, group:<id>, channel:<id>)'}),
    all: Flags.boolean({description: 'Remove every binding of the agent', exclusive: ['channel', 'account', 'peer']}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(AgentsUnbind)
    const {unbindAgent} = await import('../../runtime/agents/agents-admin.js')
    const result = await unbindAgent({...this.context(), version: this.config.version}, {id: args.id, channel: flags.channel, account: flags.account, peer: flags.peer, all: flags.all})
    return {result, human: `Removed ${result.removed} binding${result.removed === 1 ? '' : 's'} of ${args.id}`}
  }
}
