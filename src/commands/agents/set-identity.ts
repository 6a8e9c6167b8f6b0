import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsSetIdentity extends BaseCommand {
  static override summary = 'Set an agent\'s name, emoji, theme or avatar'
  static override changesState = true
  static override description = 'Writes agents.list[].identity. --from-identity reads the Name:, Emoji:, Theme: and Avatar: lines of the workspace\'s IDENTITY.md; flags given beside it win.'
  static override examples = ['<%= config.bin %> agents set-identity main --name Ada --emoji 🤖', '<%= config.bin %> agents set-identity work --from-identity --theme focused --json']

  static override args = {id: Args.string({description: 'Agent id', required: true})}

  static override flags = {
    ...jsonFlag,
    name: Flags.string({description: 'Name the agent uses for itself'}),
    emoji: Flags.string({description: 'Emoji'}),
    theme: Flags.string({description: 'Short personality/theme description'}),
    avatar: Flags.string({description: 'Avatar path or URL'}),
    'from-identity': Flags.boolean({description: 'Read the values from the workspace IDENTITY.md'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(AgentsSetIdentity)
    const {setAgentIdentity} = await import('../../runtime/agents/agents-admin.js')
    const result = await setAgentIdentity({...this.context(), version: this.config.version}, {id: args.id, name: flags.name, emoji: flags.emoji, theme: flags.theme, avatar: flags.avatar, fromIdentity: flags['from-identity']})
    return {result, human: `Identity of ${result.id}: ${Object.entries(result.identity).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`}
  }
}
