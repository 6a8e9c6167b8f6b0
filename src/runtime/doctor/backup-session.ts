import {createHash} from 'node:crypto'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {writeFileAtomic} from '../state/atomic-write.js'
import {ensureDir} from '../state/ensure-state-dir.js'

/** One line of `manifest.json` (operations.md §5.3). */
export interface BackupAction {
  check: string
  action: string
  path: string
  from?: string
  to?: string
  mode?: string
  size?: number
  sha256Before?: string
}

/**
 * The `<state>/backups/doctor-<ts>/` of one doctor run. Created lazily before the first change
 * (a run that changes nothing creates nothing); every file about to be modified or deleted is
 * copied in first, keeping its path relative to `<state>` (files outside under `external/`).
 * Moves and renames are recorded, not copied. When the copy fails the error is thrown before
 * the change happens, so nothing is changed without its backup.
 */
export class DoctorBackup {
  private dirPath: string | null = null
  private readonly actions: BackupAction[] = []
  private readonly copied = new Set<string>()

  constructor(
    private readonly stateDir: () => string,
    private readonly stamp: string,
    private readonly version: string,
    private readonly createdAt: string,
  ) {}

  /** The backup dir, or null while nothing has changed. */
  get dir(): string | null {
    return this.dirPath
  }

  /** Copies `file` (once per run) into the backup and records the action. */
  saveFile(check: string, action: string, file: string): void {
    const dir = this.ensure()
    if (this.copied.has(file)) {
      this.record({check, action, path: file})
      return
    }
    let info: BackupAction
    try {
      const stats = statSync(file)
      const bytes = readFileSync(file)
      const dest = path.join(dir, this.relativeName(file))
      mkdirSync(path.dirname(dest), {recursive: true, mode: 0o700})
      copyFileSync(file, dest)
      // The copy holds secrets as much as the original does, whatever the original's mode was.
      chmodSync(dest, 0o600)
      info = {check, action, path: file, mode: (stats.mode & 0o7777).toString(8).padStart(4, '0'), size: stats.size, sha256Before: createHash('sha256').update(bytes).digest('hex')}
    } catch (error) {
      throw backupFailed(dir, error)
    }
    this.copied.add(file)
    this.record(info)
  }

  /** Records a lossless change (rename, move, chmod) without copying anything. */
  record(action: BackupAction): void {
    this.ensure()
    this.actions.push(action)
    try {
      writeFileAtomic(path.join(this.ensure(), 'manifest.json'), JSON.stringify({createdAt: this.createdAt, version: this.version, actions: this.actions}, null, 2) + '\n')
    } catch (error) {
      throw backupFailed(this.ensure(), error)
    }
  }

  private ensure(): string {
    if (this.dirPath !== null) return this.dirPath
    const backups = path.join(this.stateDir(), 'backups')
    let dir = path.join(backups, `doctor-${this.stamp}`)
    for (let n = 2; existsSync(dir); n++) dir = path.join(backups, `doctor-${this.stamp}-${n}`)
    try {
      ensureDir(backups, 0o700)
      ensureDir(dir, 0o700)
    } catch (error) {
      throw backupFailed(dir, error)
    }
    this.dirPath = dir
    return dir
  }

  private relativeName(file: string): string {
    const rel = path.relative(this.stateDir(), file)
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel
    return path.join('external', file)
  }
}

function backupFailed(dir: string, error: unknown): AppError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
  return new AppError('DOCTOR_BACKUP_FAILED', `could not write the doctor backup in ${dir} (${reason}); nothing was changed by this step`, {
    hint: ['Free some space or fix the permissions of the state dir, then: openclaw doctor --fix'],
    cause: error,
  })
}

/** Compact UTC `YYYYMMDDTHHMMSSZ` (config.md §11). */
export function compactStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}
