import {Args, Flags} from '@oclif/core'

import {renderBackupRestore} from '../../ui/render-backup.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class BackupRestore extends BaseCommand {
  static override summary = 'Restore a backup into an empty state dir'
  static override changesState = true
  static override description =
    'Verifies the archive first (nothing is written on failure), then writes every file with its recorded mode into an empty target (default: the state dir). ' +
    'Refuses a non-empty target or a running gateway. Workspaces from outside the state dir go back to their paths when those are absent or empty, or under --workspace-target.'

  static override examples = [
    '<%= config.bin %> backup restore backup.tar.gz --target ~/.openclaw-restored --dry-run',
    '<%= config.bin %> backup restore backup.tar.gz --target ~/.openclaw-restored --workspace-target ~/restored-workspaces',
  ]

  static override args = {archive: Args.string({description: 'The .tar.gz written by backup create', required: true})}
  static override flags = {
    ...jsonFlag,
    target: Flags.string({description: 'Empty directory to restore the state dir into (default: the state dir)'}),
    'workspace-target': Flags.string({description: 'Put workspaces from outside the state dir under <dir>/<agentId>'}),
    'dry-run': Flags.boolean({description: 'Verify and show where everything would go; write nothing'}),
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(BackupRestore)
    const {paths} = this.context()
    const {restoreBackup} = await import('../../runtime/backup/restore-backup.js')
    const result = await restoreBackup(paths, args.archive, {target: flags.target, workspaceTarget: flags['workspace-target'], dryRun: flags['dry-run']})
    return {result, human: renderBackupRestore(result, paths.home), log: result.dryRun ? undefined : {message: `backup restored into ${result.target}`, data: {files: result.files}}}
  }
}
