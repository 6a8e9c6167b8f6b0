import path from 'node:path'

import {Args} from '@oclif/core'

import {renderBackupVerify} from '../../ui/render-backup.js'
import {BaseCommand, type Outcome} from '../base-command.js'
import {jsonFlag} from '../flags.js'

export default class BackupVerify extends BaseCommand {
  static override summary = 'Check a backup archive file by file'
  static override description =
    'Reads the whole archive: gzip and tar integrity, the manifest first, every file\'s size and SHA-256, no missing, extra or unsafe entries. ' +
    'Exit 0 sound, 3 with every problem named, 1 when the file is unreadable or not an openclaw backup.'

  static override examples = ['<%= config.bin %> backup verify backup.tar.gz', '<%= config.bin %> backup verify backup.tar.gz --json']
  static override args = {archive: Args.string({description: 'The .tar.gz written by backup create', required: true})}
  static override flags = {...jsonFlag}

  protected async perform(): Promise<Outcome> {
    const {args} = await this.parse(BackupVerify)
    const {paths} = this.context()
    const {verifyBackup} = await import('../../runtime/backup/verify-backup.js')
    const result = await verifyBackup(path.resolve(paths.cwd, args.archive))
    return {result, human: renderBackupVerify(result, paths.home)}
  }
}
