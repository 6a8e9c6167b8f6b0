import {Flags} from '@oclif/core'

import {renderAgentList} from '../../ui/render-agents.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsList extends BaseCommand {
  static override summary = 'List the configured agents'
  static override description = 'Agents from agents.list (or the implicit "main"), with workspace, agentDir, model and identity; --bindings adds the routes that reach each one.'
  static override examples = ['<%= config.bin %> agents list', '<%= config.bin %> agents list --bindings --json']

  static override flags = {...jsonFlag, bindings: Flags.boolean({description: 'Show the bindings of each agent'})}

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(AgentsList)
    const {listAgentsReport} = await import('../../runtime/agents/agents-admin.js')
    const result = await listAgentsReport({...this.context(), version: this.config.version}, {bindings: flags.bindings})
    return {result, human: renderAgentList(result)}
  }
}
