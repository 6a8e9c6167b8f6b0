import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigFile extends BaseCommand {
  static override summary = 'Print the path of the config file in use'
  static override description = 'The config file this invocation reads, after --profile/--dev, OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH. It may not exist yet.'
  static override examples = ['<%= config.bin %> config file', '<%= config.bin %> --profile work config file --json']
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    const {describeConfigFile} = await import('../../runtime/config/edit/config-inspect.js')
    await this.parse(ConfigFile)
    const {warnings, ...result} = describeConfigFile(this.context())
    this.addWarnings(warnings)
    return {result, human: result.path}
  }
}
