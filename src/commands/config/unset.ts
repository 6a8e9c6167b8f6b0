import {Args, Flags} from '@oclif/core'

import {configEditLog, renderConfigEdit} from '../../ui/render-config-edit.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigUnset extends BaseCommand {
  static override summary = 'Remove a config key or array element'
  static override changesState = true
  static override description =
    'Removes the key (or array element) from the config file; later elements move up. An absent path exits 1 unless --if-exists. ' +
    'Works for keys the schema does not know, which is how an unknown key is repaired. Values that come from an $include must be removed in the included file.'

  static override examples = [
    '<%= config.bin %> config unset gateway.port',
    '<%= config.bin %> config unset logging.level --dry-run',
    '<%= config.bin %> config unset channels.telegram --if-exists --json',
  ]

  static override args = {
    path: Args.string({description: 'Config path: dots for keys, [n] for indexes, ["key"] for keys with dots', required: true}),
  }

  static override flags = {
    ...jsonFlag,
    'if-exists': Flags.boolean({description: 'Succeed without a change when the path is absent'}),
    'dry-run': Flags.boolean({description: 'Validate and report the change without writing anything'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(ConfigUnset)
    const {unsetConfigValue} = await import('../../runtime/config/edit/config-unset.js')
    const {warnings, reloadHint, ...result} = await unsetConfigValue(
      {...this.context(), version: this.config.version},
      {path: args.path, ifExists: flags['if-exists'], dryRun: flags['dry-run']},
    )
    this.addWarnings(warnings)
    return {result, human: renderConfigEdit({...result, reloadHint}, result.path), log: configEditLog('config unset', result.path, result)}
  }
}
