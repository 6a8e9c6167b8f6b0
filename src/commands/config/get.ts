import {Args, Flags} from '@oclif/core'

import {renderConfigValue} from '../../ui/render-config-edit.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigGet extends BaseCommand {
  static override summary = 'Print a config value'
  static override description =
    'Prints the effective value: after $include, ${VAR} substitution and schema defaults (so gateway.port prints 18789 on a fresh machine). ' +
    'Strings print bare, other values as JSON. Secrets print as __OPENCLAW_REDACTED__ unless --show-secrets. ' +
    'If the config is invalid, the value as written is shown with a warning.'

  static override examples = [
    '<%= config.bin %> config get gateway.port',
    '<%= config.bin %> config get gateway.bind --json',
    '<%= config.bin %> config get gateway.auth.token --authored',
  ]

  static override args = {
    path: Args.string({description: 'Config path: dots for keys, [n] for indexes, ["key"] for keys with dots', required: true}),
  }

  static override flags = {
    ...jsonFlag,
    authored: Flags.boolean({description: 'Show the value as written (after $include, before ${VAR} substitution and defaults)', exclusive: ['resolved']}),
    resolved: Flags.boolean({description: 'Show the effective value (the default; accepted for compatibility)'}),
    'show-secrets': Flags.boolean({description: 'Print secrets instead of __OPENCLAW_REDACTED__'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(ConfigGet)
    const {getConfigValue} = await import('../../runtime/config/edit/config-get.js')
    const {warnings, ...result} = getConfigValue({...this.context(), version: this.config.version}, {path: args.path, authored: flags.authored, showSecrets: flags['show-secrets']})
    this.addWarnings(warnings)
    return {result, human: renderConfigValue(result.value)}
  }
}
