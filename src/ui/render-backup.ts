import {tildify} from '../runtime/paths.js'
import type {CreateBackupResult} from '../runtime/backup/create-backup.js'
import type {RestoreBackupResult} from '../runtime/backup/restore-backup.js'
import type {VerifyBackupResult} from '../runtime/backup/verify-backup.js'

/** A one-line counter on a TTY stderr for archives with many files; nothing otherwise. */
export function backupProgress(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined
  return (done, total) => {
    if (total < 200) return
    if (done % 50 === 0 || done === total) process.stderr.write(`\rArchiving ${done}/${total} files${done === total ? '\n' : ''}`)
  }
}

export function renderBackupCreate(result: CreateBackupResult, home: string): string[] {
  if (result.dryRun) return [`Would archive ${result.files} files into ${tildify(result.path, home)}:`, ...(result.entries ?? []).map((e) => `  ${e}`)]
  const size = result.bytes === null ? '' : ` (${(result.bytes / 1024).toFixed(1)} KiB)`
  return [`Backup written: ${tildify(result.path, home)}${size}, ${result.files} files${result.verified ? ', verified' : ''}`, `sha256 ${result.sha256}`]
}

export function renderBackupVerify(result: VerifyBackupResult, home: string): string[] {
  return [`Backup OK: ${tildify(result.path, home)} (${result.files} files, every size and SHA-256 matches)`]
}

export function renderBackupRestore(result: RestoreBackupResult, home: string): string[] {
  const lines = [`${result.dryRun ? 'Would restore' : 'Restored'} ${result.files} files into ${tildify(result.target, home)}.${result.dryRun ? '' : ' Check it: openclaw doctor'}`]
  for (const w of result.workspaces) lines.push(`Workspace ${w.agentId}: ${tildify(w.path, home)}`)
  if (result.followUp.length > 0) lines.push('Point the config at the restored workspaces:', ...result.followUp.map((c) => `  ${c}`))
  return lines
}
