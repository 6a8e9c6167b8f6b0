import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigSchemaCommand extends BaseCommand {
  static override summary = 'Print the config JSON Schema'
  static override description =
    'The JSON Schema (2020-12) of openclaw.json, generated from the same schema the loader validates with, with descriptions and defaults. ' +
    'Point "$schema" in your config at a saved copy for editor completion.'

  static override examples = ['<%= config.bin %> config schema > openclaw.schema.json', '<%= config.bin %> config schema --json']
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    const {configSchemaDocument} = await import('../../runtime/config/edit/config-inspect.js')
    await this.parse(ConfigSchemaCommand)
    return {result: configSchemaDocument()}
  }
}
