import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigValidate extends BaseCommand {
  static override summary = 'Check the config file and list every issue'
  static override description =
    'Runs the full load ($include, ${VAR} substitution, schema) and prints "Config OK: <path>" or every issue. ' +
    'A missing file is valid: defaults apply. Exits 0 when valid, 1 when not.'

  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> --profile work config validate --json']
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    const {validateConfigFile} = await import('../../runtime/config/edit/config-inspect.js')
    await this.parse(ConfigValidate)
    // `warnings` stays in the result too: it is part of the documented --json shape.
    const result = validateConfigFile(this.context())
    this.addWarnings(result.warnings)
    return {result, human: `Config OK: ${result.path}`}
  }
}
