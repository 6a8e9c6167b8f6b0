import {Args, Flags} from '@oclif/core'

import {describeMatch} from '../../ui/render-agents.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsDelete extends BaseCommand {
  static override summary = 'Remove an agent and the bindings that name it'
  static override changesState = true
  static override description = 'Removes the agents.list entry and every binding naming it. Files are never deleted: --purge moves agentDir, sessions and workspace to backups/deleted-agent-<id>-<ts>/.'
  static override examples = ['<%= config.bin %> agents delete home --force --purge --json']

  static override args = {id: Args.string({description: 'Agent id', required: true})}

  static override flags = {
    ...jsonFlag,
    purge: Flags.boolean({description: 'Move the agent\'s files to backups/deleted-agent-<id>-<ts>/'}),
    force: Flags.boolean({description: 'Required to delete the default agent'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(AgentsDelete)
    const {deleteAgent} = await import('../../runtime/agents/agents-admin.js')
    const result = await deleteAgent({...this.context(), version: this.config.version}, {id: args.id, purge: flags.purge, force: flags.force})
    return {result, human: [`Removed agent ${result.removed}`, ...result.bindingsRemoved.map((m) => `  removed binding ${describeMatch(m)}`), ...(result.movedTo === null ? [] : [`Files moved to ${result.movedTo}`])]}
  }
}
