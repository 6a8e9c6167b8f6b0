import {Flags} from '@oclif/core'

import {renderModelsStatus} from '../../ui/render-models.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ModelsStatus extends BaseCommand {
  static override summary = 'Check the agent’s model chain: provider, api, credential source and expiry'
  static override description =
    'Walks the primary model and its fallbacks without network. With --check the exit code follows the reference CLI for monitoring scripts: ' +
    '0 the primary is usable, 1 no model configured or the primary unusable (unknown provider, missing or expired credential), 2 usable but a credential expires within 7 days.'

  static override examples = ['<%= config.bin %> models status', '<%= config.bin %> models status --agent work --check   # needs: model', '<%= config.bin %> models status --json']

  static override flags = {
    ...jsonFlag,
    agent: Flags.string({description: 'Agent id (default: the default agent)'}),
    check: Flags.boolean({description: 'Exit 1 when the primary is unusable, 2 when a credential expires within 7 days'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ModelsStatus)
    const {runModelsStatus} = await import('../../runtime/models/models-command.js')
    const {warnings, checkExitCode, ...result} = runModelsStatus(this.context(), {agent: flags.agent})
    this.addWarnings(warnings)
    const human = renderModelsStatus(result)
    if (!flags.check || checkExitCode === 0) return {result, human}
    const primary = result.models[0]
    if (checkExitCode === 2) return {result, human, failure: {code: 'MODELS_AUTH_EXPIRING', message: `a credential of agent "${result.agentId}"'s models expires within 7 days`, hint: ['Renew the credential shown above']}}
    const message = primary === undefined ? `no model is configured for agent "${result.agentId}"` : `primary model ${primary.ref} is not usable: ${primary.problems.join('; ')}`
    const keyVar = /set ([A-Z0-9_]+_API_KEY)/.exec(primary?.problems.join(' ') ?? '')?.[1]
    const hint = primary === undefined ? ['openclaw config set agents.defaults.model <provider/model>'] : [...(keyVar === undefined ? [] : [`export ${keyVar}=<your key>  (or put it in the state dir's .env)`]), 'See the models you can use: openclaw models list --all']
    return {result, human, failure: {code: 'MODELS_CHECK_FAILED', message, hint}}
  }
}
