import {existsSync} from 'node:fs'

import {AppError} from '../errors/app-error.js'
import {parseManifest, unsafeArchivePath, type BackupManifest} from './manifest.js'
import {readArchive, type ArchiveEntry} from './read-archive.js'

export interface VerifyProblem {
  path: string
  problem: string
}

export interface VerifyBackupResult {
  path: string
  ok: boolean
  files: number
  problems: VerifyProblem[]
}

/**
 * Reads the whole archive: gzip and tar integrity, `manifest.json` first, every entry's size and
 * SHA-256 against the manifest, nothing missing or extra, no unsafe names. `onEntry` sees each
 * verified entry (restore writes them only after a clean verify pass).
 */
export async function inspectBackup(file: string, onEntry?: (entry: ArchiveEntry, manifest: BackupManifest) => void): Promise<{manifest: BackupManifest; result: VerifyBackupResult}> {
  if (!existsSync(file)) throw new AppError('BACKUP_UNREADABLE', `${file} does not exist`, {hint: ['ls *.tar.gz', 'openclaw backup verify <archive>']})
  let manifest: BackupManifest | null = null
  let first = true
  let notOurs: string | null = null
  const problems: VerifyProblem[] = []
  const seen = new Set<string>()
  const read = await readArchive(file, (entry) => {
    if (first) {
      first = false
      manifest = entry.path === 'manifest.json' ? parseManifest(entry.data) : null
      if (manifest === null) notOurs = `the first entry is ${entry.path === 'manifest.json' ? 'an unreadable manifest.json' : entry.path}, not the manifest that backup create writes first`
      if (manifest === null) throw new Error(notOurs ?? 'no manifest')
      return
    }
    const m = manifest as unknown as BackupManifest
    const unsafe = unsafeArchivePath(entry.path.replace(/\/$/, ''))
    if (unsafe !== null) return void problems.push({path: entry.path, problem: unsafe})
    if (entry.type === 'Directory') {
      const name = entry.path.replace(/\/$/, '')
      if (!m.dirs.some((d) => d.path === name)) problems.push({path: name, problem: 'directory not listed in the manifest (extra entry)'})
      else onEntry?.(entry, m)
      return
    }
    const expected = m.files.find((f) => f.path === entry.path)
    if (expected === undefined) return void problems.push({path: entry.path, problem: 'not listed in the manifest (extra entry)'})
    if (seen.has(entry.path)) return void problems.push({path: entry.path, problem: 'appears twice'})
    seen.add(entry.path)
    if (expected.link !== undefined) {
      if (entry.type !== 'SymbolicLink' || entry.linkpath !== expected.link) problems.push({path: entry.path, problem: 'symlink target differs from the manifest'})
    } else if (entry.size !== expected.size) problems.push({path: entry.path, problem: `size ${entry.size} differs from the manifest (${expected.size})`})
    else if (entry.sha256 !== expected.sha256) problems.push({path: entry.path, problem: 'SHA-256 differs from the manifest (the content changed)'})
    else onEntry?.(entry, m)
  })
  if (manifest === null) {
    throw new AppError('BACKUP_UNREADABLE', `${file} is not a backup made by backup create: ${notOurs ?? read.error?.message ?? 'empty archive'}`, {hint: ['Check the file: tar tzf ' + file]})
  }
  const m = manifest as BackupManifest
  if (read.error !== null) problems.push({path: read.error.at ?? '(archive)', problem: `archive integrity: ${read.error.message}`})
  else for (const f of m.files) if (!seen.has(f.path)) problems.push({path: f.path, problem: 'listed in the manifest but missing from the archive'})
  return {manifest: m, result: {path: file, ok: problems.length === 0, files: m.files.length, problems}}
}

/** `backup verify`: throws BACKUP_CORRUPT (exit 3, report in `result`) when anything is wrong. */
export async function verifyBackup(file: string): Promise<VerifyBackupResult> {
  const {result} = await inspectBackup(file)
  if (!result.ok) {
    throw new AppError('BACKUP_CORRUPT', `${file} failed verification: ${result.problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`, {
      hint: ['Use another backup, or make a fresh one: openclaw backup create --verify'],
      result,
    })
  }
  return result
}
