import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class SessionsReset extends BaseCommand {
  static override summary = 'Start a new session for a key; the old transcript is archived'
  static override changesState = true
  static override description = 'Writes a session-end marker, starts a new transcript with a new sessionId and archives the old one as <file>.reset.<ts> (never removed; read it with sessions history --session-id).   # needs: model'
  static override examples = ['<%= config.bin %> sessions reset main   # needs: model', '<%= config.bin %> sessions reset agent:work:main --reason new --json   # needs: model', '<%= config.bin %> sessions reset main --expect-session-id 5b0c2f1e-…   # needs: model']

  static override args = {key: Args.string({description: 'Session key (main, telegram:direct:123, agent:work:main)', required: true})}

  static override flags = {
    ...jsonFlag,
    agent: Flags.string({description: 'Agent id for short keys (default: the default agent)'}),
    reason: Flags.string({description: 'Reset reason recorded on the session', options: ['new', 'reset'], default: 'reset'}),
    'expect-session-id': Flags.string({description: 'Refuse when the session is no longer this sessionId'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(SessionsReset)
    const {resetSessionLocal} = await import('../../runtime/sessions/local-sessions.js')
    const result = await resetSessionLocal(this.context(), {key: args.key, agentId: flags.agent, reason: flags.reason as 'new' | 'reset', expectedSessionId: flags['expect-session-id']})
    return {result, human: [`Session ${result.key} reset: ${result.previousSessionId} → ${result.sessionId}`, `Old transcript archived as ${result.archivedTranscript}`]}
  }
}
