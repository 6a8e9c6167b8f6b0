import {Flags} from '@oclif/core'

import {configEditLog, renderConfigEdit} from '../../ui/render-config-edit.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class ConfigPatch extends BaseCommand {
  static override summary = 'Apply a JSON5 merge patch to the config'
  static override changesState = true
  static override description =
    'Objects merge recursively, null deletes a key, scalars replace. Arrays of objects with an "id" merge by id; other arrays replace, ' +
    'and a replacement that drops entries needs its path in --replace-path. The same rules as the gateway\'s config.patch RPC.'

  static override examples = [
    `echo '{logging: {level: "debug"}}' > patch.json5 && <%= config.bin %> config patch --file ./patch.json5`,
    `echo '{gateway: {port: 19000}, logging: {level: "info"}}' | <%= config.bin %> config patch --stdin`,
    `echo '{agents: {list: [{id: "main", default: true}]}}' | <%= config.bin %> config patch --stdin --replace-path agents.list --dry-run --json`,
  ]

  static override flags = {
    ...jsonFlag,
    file: Flags.string({description: 'Read the patch from this JSON5 file (up to 8 MB)', exactlyOne: ['file', 'stdin']}),
    stdin: Flags.boolean({description: 'Read the patch from stdin (up to 1 MB)', exactlyOne: ['file', 'stdin']}),
    'replace-path': Flags.string({description: 'Replace the array at this path wholesale, even if entries are dropped (repeatable)', multiple: true}),
    'dry-run': Flags.boolean({description: 'Validate and report the change without writing anything'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(ConfigPatch)
    const {patchConfig} = await import('../../runtime/config/edit/config-patch.js')
    const context = this.context()
    const {warnings, reloadHint, ...result} = await patchConfig(
      {...context, version: this.config.version},
      {file: flags.file, stdin: flags.stdin ? process.stdin : undefined, replacePaths: flags['replace-path'], dryRun: flags['dry-run'], cwd: context.paths.cwd},
    )
    this.addWarnings(warnings)
    return {result, human: renderConfigEdit({...result, reloadHint}, result.changedPaths.join(', ')), log: configEditLog('config patch', result.changedPaths.join(', '), result)}
  }
}
