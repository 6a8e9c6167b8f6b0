import {Flags} from '@oclif/core'

import {renderSessionList} from '../../ui/render-sessions.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class SessionsList extends BaseCommand {
  static override summary = 'List sessions from the session store'
  static override description = 'Reads each agent\'s sessions.json (no gateway needed). --archived adds the archived transcripts (resets, deletes) of each key.'
  static override examples = ['<%= config.bin %> sessions list', '<%= config.bin %> sessions list --all-agents --json', '<%= config.bin %> sessions list --agent work --archived']

  static override flags = {
    ...jsonFlag,
    agent: Flags.string({description: 'Agent id (default: the default agent)', exclusive: ['all-agents']}),
    'all-agents': Flags.boolean({description: 'List the sessions of every agent'}),
    active: Flags.integer({description: 'Only sessions updated in the last <minutes>', min: 1}),
    limit: Flags.integer({description: 'Max sessions listed', default: 50, min: 1}),
    archived: Flags.boolean({description: 'Include archived transcripts per key'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(SessionsList)
    const {listSessionsLocal} = await import('../../runtime/sessions/local-sessions.js')
    const result = await listSessionsLocal(this.context(), {agentId: flags.agent, allAgents: flags['all-agents'], activeMinutes: flags.active, limit: flags.limit, archived: flags.archived})
    return {result, human: renderSessionList(result)}
  }
}
