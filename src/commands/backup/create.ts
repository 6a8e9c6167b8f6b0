import {Flags} from '@oclif/core'

import {backupProgress, renderBackupCreate} from '../../ui/render-backup.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class BackupCreate extends BaseCommand {
  static override summary = 'Archive the state dir and workspaces into a .tar.gz'
  static override description =
    'Writes openclaw-backup-<ts>.tar.gz (0600, never overwriting a file): manifest.json first, with the size, mode and SHA-256 of every file, then the state dir ' +
    '(config, credentials, sessions and transcripts) and the agent workspaces. Skips backups/, locks/, logs/ and media/. The archive contains secrets.'

  static override examples = [
    '<%= config.bin %> backup create',
    '<%= config.bin %> backup create --output backup.tar.gz --verify',
    '<%= config.bin %> backup create --only-config --dry-run --json',
  ]

  static override flags = {
    ...jsonFlag,
    output: Flags.string({description: 'Directory or file for the archive (default: the current directory)'}),
    'only-config': Flags.boolean({description: 'Only the config, its included files and .env'}),
    'no-workspace': Flags.boolean({description: 'Leave the agent workspaces out'}),
    verify: Flags.boolean({description: 'Read the archive back and check every file against the manifest'}),
    'dry-run': Flags.boolean({description: 'List what would be archived; write nothing'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(BackupCreate)
    const {paths, env} = this.context()
    const {createBackup} = await import('../../runtime/backup/create-backup.js')
    const result = await createBackup(paths, env, {
      output: flags.output, onlyConfig: flags['only-config'], noWorkspace: flags['no-workspace'], dryRun: flags['dry-run'], version: this.config.version,
      onProgress: this.jsonMode ? undefined : backupProgress(),
    })
    if (flags.verify && !result.dryRun) {
      const {verifyBackup} = await import('../../runtime/backup/verify-backup.js')
      await verifyBackup(result.path)
      result.verified = true
    }
    if (!result.dryRun) this.addWarning('The archive contains secrets (tokens, API keys); store it safely.')
    return {result, human: renderBackupCreate(result, paths.home)}
  }
}
