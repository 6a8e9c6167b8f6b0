import {Args, Flags} from '@oclif/core'

import {configEditLog, renderConfigEdit} from '../../ui/render-config-edit.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigSet extends BaseCommand {
  static override summary = 'Set a config value'
  static override changesState = true
  static override description =
    'The value is parsed as JSON5, else taken as a string; where the schema expects a string the text is kept as typed. ' +
    'Missing parents are created; [n] may equal the array length to append. The file is rewritten as JSON (.bak to .bak.4 keep the last five versions, .hand.bak the last hand-written one), ' +
    '${VAR} references elsewhere are kept, and values from an $include are overridden next to the $include.'

  static override examples = [
    '<%= config.bin %> config set gateway.port 19000',
    `<%= config.bin %> config set channels.telegram.botToken '\${TELEGRAM_BOT_TOKEN}'`,
    `<%= config.bin %> config set models.providers.ollama '{baseUrl: "http://127.0.0.1:11434/v1"}' --merge`,
    '<%= config.bin %> config set agents.defaults.model openai/gpt-4o --dry-run --json',
  ]

  static override args = {
    path: Args.string({description: 'Config path: dots for keys, [n] for indexes, ["key"] for keys with dots', required: true}),
    value: Args.string({description: 'The value: JSON5 (numbers, true/false, objects, arrays) or plain text', required: true}),
  }

  static override flags = {
    ...jsonFlag,
    'strict-json': Flags.boolean({description: 'Require the value to be valid JSON5 (exit 2 otherwise) instead of falling back to a string'}),
    merge: Flags.boolean({description: 'Deep-merge an object into the existing object, keeping its other keys', exclusive: ['replace']}),
    replace: Flags.boolean({description: 'Replace the existing object even if that drops keys (or an $include)'}),
    'dry-run': Flags.boolean({description: 'Validate and report the change without writing anything'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(ConfigSet)
    const {setConfigValue} = await import('../../runtime/config/edit/config-set.js')
    const {warnings, reloadHint, ...result} = await setConfigValue(
      {...this.context(), version: this.config.version},
      {path: args.path, value: args.value, strictJson: flags['strict-json'], merge: flags.merge, replace: flags.replace, dryRun: flags['dry-run']},
    )
    this.addWarnings(warnings)
    return {result, human: renderConfigEdit({...result, reloadHint}, result.path), log: configEditLog('config set', result.path, result)}
  }
}
