import {Flags} from '@oclif/core'

import {renderModelsList} from '../../ui/render-models.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ModelsList extends BaseCommand {
  static override summary = 'List the models you can use, with their provider, context and key status'
  static override description =
    'Reads the config only (no network): the default agent’s primary and fallbacks, every agent’s model, agents.defaults.models and models listed under models.providers. ' +
    '--all adds the built-in catalog of every preset provider. The auth column says whether a key is configured (config, auth profile or <PROVIDER>_API_KEY).'

  static override examples = ['<%= config.bin %> models list', '<%= config.bin %> models list --all --provider anthropic', '<%= config.bin %> models list --json']

  static override flags = {
    ...jsonFlag,
    all: Flags.boolean({description: 'Include the built-in catalog of every preset provider'}),
    provider: Flags.string({description: 'Only models of this provider id (openai, anthropic, ollama, …)'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ModelsList)
    const {runModelsList} = await import('../../runtime/models/models-command.js')
    const {warnings, ...result} = runModelsList(this.context(), {all: flags.all, provider: flags.provider})
    this.addWarnings(warnings)
    return {result, human: renderModelsList(result.models)}
  }
}
