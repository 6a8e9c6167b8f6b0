import {Args, Flags} from '@oclif/core'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class AgentsAdd extends BaseCommand {
  static override summary = 'Add an agent with its own workspace and sessions'
  static override changesState = true
  static override description = 'Writes the agents.list entry (the implicit "main" is written out first, so existing sessions keep their owner), then creates the workspace with its bootstrap files, the agentDir and the sessions dir.'
  static override examples = ['<%= config.bin %> agents add work --model anthropic/claude-sonnet-4-5', '<%= config.bin %> agents add family --bind telegram:familybot --json', '<%= config.bin %> agents add home']

  static override args = {id: Args.string({description: 'Agent id ([a-z0-9][a-z0-9_-]{0,63})', required: true})}

  static override flags = {
    ...jsonFlag,
    name: Flags.string({description: 'Display name'}),
    workspace: Flags.string({description: 'Workspace directory (default <state>/workspace-<id>)'}),
    'agent-dir': Flags.string({description: 'Agent state directory (default <state>/agents/<id>/agent)'}),
    model: Flags.string({description: 'Model ref (provider/model) or alias'}),
    default: Flags.boolean({description: 'Make it the default agent'}),
    bind: Flags.string({description: 'Route a channel[:account] to it (repeatable)', multiple: true}),
    'non-interactive': Flags.boolean({description: 'Never prompt (this command does not prompt; accepted for scripts)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(AgentsAdd)
    const {addAgent} = await import('../../runtime/agents/agents-admin.js')
    const {warnings, configPath: _configPath, ...result} = await addAgent({...this.context(), version: this.config.version}, {id: args.id, name: flags.name, workspace: flags.workspace, agentDir: flags['agent-dir'], model: flags.model, default: flags.default, bind: flags.bind})
    this.addWarnings(warnings)
    return {result, human: [`Added agent ${result.agent.id}${result.agent.default ? ' (default)' : ''}`, `Workspace: ${result.agent.workspace}`, ...result.created.map((p) => `  created ${p}`)]}
  }
}
