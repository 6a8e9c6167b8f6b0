import {createHash} from 'node:crypto'
import {closeSync, createWriteStream, openSync, readFileSync, readSync, statSync, unlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {Header, Pack, ReadEntry} from 'tar'

import {compactStamp} from '../doctor/backup-session.js'
import {AppError} from '../errors/app-error.js'
import {tildify, type ResolvedPaths} from '../paths.js'
import {collectBackupSources, type SourceEntry} from './collect-sources.js'
import type {BackupManifest, ManifestFile} from './manifest.js'

export interface CreateBackupOptions {
  output?: string
  onlyConfig?: boolean
  noWorkspace?: boolean
  dryRun?: boolean
  now?: Date
  version: string
  /** Called after each file is archived (progress on a TTY). */
  onProgress?: (done: number, total: number) => void
}

export interface CreateBackupResult {
  path: string
  bytes: number | null
  files: number
  sha256: string | null
  verified: boolean
  dryRun: boolean
  /** Archive paths (dry run only). */
  entries?: string[]
}

/** Files up to this size are kept in memory between hashing and archiving, so each is read once. */
const KEEP_BYTES = 8 * 1024 * 1024
const KEEP_TOTAL = 256 * 1024 * 1024

/** `openclaw-backup-<ts>.tar.gz`, `openclaw-<profile>-backup-<ts>.tar.gz` with a profile. */
export function backupFileName(profile: string | null, now: Date): string {
  return `openclaw-${profile === null ? '' : `${profile}-`}backup-${compactStamp(now)}.tar.gz`
}

function archivePathFor(paths: ResolvedPaths, output: string | undefined, now: Date): string {
  const name = backupFileName(paths.profile, now)
  if (output === undefined) return path.join(paths.cwd, name)
  const resolved = path.resolve(paths.cwd, output)
  let isDir: boolean
  try {
    isDir = statSync(resolved).isDirectory()
  } catch {
    isDir = output.endsWith('/')
  }
  return isDir ? path.join(resolved, name) : resolved
}

function readExact(file: string, size: number): Buffer {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(size)
    let offset = 0
    while (offset < size) {
      const n = readSync(fd, buffer, offset, size - offset, offset)
      if (n === 0) break
      offset += n
    }
    return buffer.subarray(0, offset)
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes a gzip'd tar of the state dir (and workspaces): `manifest.json` first, then every file
 * with its size, mode and SHA-256 in the manifest. The archive is opened with `wx` (an existing
 * file is never overwritten), mode 0600. Each file's bytes are hashed as archived; a large file
 * is read again for the archive and only its hashed length is taken (transcripts only grow), and
 * a file replaced in between fails the backup rather than archive bytes the manifest does not
 * describe.
 */
export async function createBackup(paths: ResolvedPaths, env: NodeJS.ProcessEnv, options: CreateBackupOptions): Promise<CreateBackupResult> {
  const now = options.now ?? new Date()
  const target = archivePathFor(paths, options.output, now)
  const sources = collectBackupSources(paths, env, options)
  if (options.dryRun === true) {
    return {path: target, bytes: null, files: sources.entries.filter((e) => e.kind !== 'dir').length, sha256: null, verified: false, dryRun: true, entries: sources.entries.filter((e) => e.kind !== 'dir').map((e) => e.archivePath)}
  }
  let fd: number
  try {
    fd = openSync(target, 'wx', 0o600)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw new AppError('BACKUP_EXISTS', `${tildify(target, paths.home)} already exists; choose another --output`, {hint: ['openclaw backup create --output <dir>']})
    throw new AppError('BACKUP_UNREADABLE', `cannot create ${tildify(target, paths.home)}: ${code ?? String(error)}`, {hint: ['Pick a writable place: openclaw backup create --output <dir>'], cause: error})
  }
  try {
    const kept = new Map<SourceEntry, Buffer>()
    let keptTotal = 0
    const files: ManifestFile[] = []
    const dirs: BackupManifest['dirs'] = []
    const fileSources = sources.entries.filter((e) => e.kind !== 'dir')
    for (const entry of sources.entries.filter((e) => e.kind === 'dir')) dirs.push({path: entry.archivePath, mode: octal(entry.mode)})
    for (const entry of fileSources) {
      if (entry.kind === 'link') {
        files.push({path: entry.archivePath, size: 0, mode: '0777', sha256: sha(Buffer.from(entry.linkTarget ?? '')), link: entry.linkTarget})
        continue
      }
      const data = readFileSync(entry.abs)
      if (data.length <= KEEP_BYTES && keptTotal + data.length <= KEEP_TOTAL) {
        kept.set(entry, data)
        keptTotal += data.length
      }
      files.push({path: entry.archivePath, size: data.length, mode: octal(entry.mode), sha256: sha(data)})
    }
    const manifest: BackupManifest = {
      format: 1, createdAt: now.toISOString(), version: options.version, hostname: os.hostname(), platform: process.platform,
      profile: paths.profile, stateDir: sources.stateDir, configPath: sources.configPath, workspaces: sources.workspaces, files, dirs,
    }
    const out = createWriteStream('', {fd, autoClose: true})
    const closed = new Promise<void>((resolve, reject) => {
      out.on('close', resolve)
      out.on('error', reject)
    })
    const pack = new Pack({gzip: true, portable: true})
    pack.pipe(out)
    const write = async (entry: ReadEntry) => {
      if (!pack.write(entry)) await new Promise((resolve) => pack.once('drain', resolve))
    }
    await write(fileEntry('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), 0o600, now))
    for (const dir of dirs) await write(dirEntry(dir.path, Number.parseInt(dir.mode, 8), now))
    for (const [index, entry] of fileSources.entries()) {
      const meta = files[index]
      if (entry.kind === 'link') await write(linkEntry(entry.archivePath, entry.linkTarget ?? '', now))
      else {
        const data = kept.get(entry) ?? readExact(entry.abs, meta.size)
        if (data.length !== meta.size || sha(data) !== meta.sha256) throw new AppError('BACKUP_UNREADABLE', `${entry.abs} changed while it was being archived; run the backup again`, {hint: ['openclaw backup create']})
        await write(fileEntry(entry.archivePath, data, entry.mode, now))
      }
      options.onProgress?.(index + 1, fileSources.length)
    }
    pack.end()
    await closed
    const bytes = readFileSync(target)
    return {path: target, bytes: bytes.length, files: files.length, sha256: sha(bytes), verified: false, dryRun: false}
  } catch (error) {
    try {
      unlinkSync(target)
    } catch {
      // Nothing was written yet.
    }
    throw error
  }
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0')
}

function dirEntry(p: string, mode: number, mtime: Date): ReadEntry {
  const entry = new ReadEntry(new Header({path: p + '/', mode, size: 0, mtime, type: 'Directory'}))
  entry.end()
  return entry
}

function sha(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function fileEntry(p: string, data: Buffer, mode: number, mtime: Date): ReadEntry {
  const entry = new ReadEntry(new Header({path: p, mode, size: data.length, mtime, type: 'File'}))
  entry.write(data)
  entry.end()
  return entry
}

function linkEntry(p: string, target: string, mtime: Date): ReadEntry {
  const entry = new ReadEntry(new Header({path: p, mode: 0o777, size: 0, mtime, type: 'SymbolicLink', linkpath: target}))
  entry.end()
  return entry
}
