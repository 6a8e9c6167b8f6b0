import {existsSync} from 'node:fs'

import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigFile extends BaseCommand {
  static override summary = 'Print the path of the config file in use'
  static override examples = ['<%= config.bin %> config file', '<%= config.bin %> --profile work config file --json']
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    await this.parse(ConfigFile)
    const {paths} = this.context()
    const result = {path: paths.configPath, exists: existsSync(paths.configPath), stateDir: paths.stateDir, profile: paths.profile}
    return {result, human: result.path}
  }
}
