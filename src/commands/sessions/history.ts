import {Args, Flags} from '@oclif/core'

import {renderHistory} from '../../ui/render-sessions.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class SessionsHistory extends BaseCommand {
  static override summary = 'Show the messages of a session'
  static override description = 'Reads the session\'s transcript (JSONL) from the store. --session-id reads an older, archived transcript of the session (see sessions list --archived).'
  static override examples = ['<%= config.bin %> sessions history main   # needs: model', '<%= config.bin %> sessions history agent:work:main --limit 5 --json   # needs: model', '<%= config.bin %> sessions history main --session-id 5b0c2f1e-…   # needs: model']

  static override args = {key: Args.string({description: 'Session key (main, telegram:direct:123, agent:work:main)', required: true})}

  static override flags = {
    ...jsonFlag,
    agent: Flags.string({description: 'Agent id for short keys (default: the default agent)'}),
    'session-id': Flags.string({description: 'Read this (archived) transcript instead of the current one'}),
    limit: Flags.integer({description: 'Messages shown, newest last', default: 20, min: 1}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(SessionsHistory)
    const {sessionHistoryLocal} = await import('../../runtime/sessions/local-sessions.js')
    const {warnings, ...result} = await sessionHistoryLocal(this.context(), {key: args.key, agentId: flags.agent, sessionId: flags['session-id'], limit: flags.limit})
    this.addWarnings(warnings)
    return {result, human: renderHistory(result)}
  }
}
