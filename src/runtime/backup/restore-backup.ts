import {chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../errors/app-error.js'
import {tildify, type ResolvedPaths} from '../paths.js'
import {writeFileAtomic} from '../state/atomic-write.js'
import {ensureDir} from '../state/ensure-state-dir.js'
import {readLiveGatewayLock} from '../state/gateway-lock-info.js'
import type {BackupManifest} from './manifest.js'
import {inspectBackup} from './verify-backup.js'

export interface RestoreBackupOptions {
  target?: string
  workspaceTarget?: string
  dryRun?: boolean
}

export interface RestoreBackupResult {
  archive: string
  target: string
  files: number
  dryRun: boolean
  workspaces: Array<{agentId: string; path: string}>
  /** `openclaw config set …` commands to run when workspaces went to new places. */
  followUp: string[]
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0
  } catch {
    return !existsSync(dir)
  }
}

/** Where each archived workspace outside the state dir goes back to. */
function workspaceDestinations(manifest: BackupManifest, workspaceTarget: string | undefined): Map<string, {agentId: string; path: string; moved: boolean}> {
  const out = new Map<string, {agentId: string; path: string; moved: boolean}>()
  for (const w of manifest.workspaces) {
    if (!w.archivePath.startsWith('workspaces/')) continue
    out.set(w.archivePath, workspaceTarget === undefined ? {agentId: w.agentId, path: w.path, moved: false} : {agentId: w.agentId, path: path.join(workspaceTarget, w.agentId), moved: true})
  }
  return out
}

/**
 * Verifies the archive (nothing is written when it fails), then writes every file into an empty
 * target with its recorded mode (temp + rename; state dirs 0700, workspace dirs 0755), and each
 * workspace from outside the state dir to its recorded path (only when absent or empty) or to
 * `--workspace-target/<agentId>`. Never replaces an existing file.
 */
export async function restoreBackup(paths: ResolvedPaths, archive: string, options: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const file = path.resolve(paths.cwd, archive)
  const target = options.target === undefined ? paths.stateDir : path.resolve(paths.cwd, options.target)
  const shownTarget = tildify(target, paths.home)
  const {manifest, result} = await inspectBackup(file)
  if (!result.ok) {
    throw new AppError('BACKUP_CORRUPT', `${tildify(file, paths.home)} failed verification; nothing was restored: ${result.problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`, {
      hint: [`See every problem: openclaw backup verify ${archive}`],
      result,
    })
  }
  if (readLiveGatewayLock({stateDir: target}) !== null) {
    throw new AppError('BACKUP_TARGET_NOT_EMPTY', `a gateway is running on ${shownTarget}; stop it first`, {hint: ['openclaw gateway stop']})
  }
  if (!isEmptyDir(target)) {
    throw new AppError('BACKUP_TARGET_NOT_EMPTY', `${shownTarget} is not empty; move it aside first (mv ${shownTarget} ${shownTarget}.old) or pick a new dir with --target`, {
      hint: [`mv ${shownTarget} ${shownTarget}.old`, `openclaw backup restore ${archive} --target <new dir>`],
    })
  }
  const destinations = workspaceDestinations(manifest, options.workspaceTarget === undefined ? undefined : path.resolve(paths.cwd, options.workspaceTarget))
  const conflicts = [...destinations.values()].filter((d) => !isEmptyDir(d.path)).map((d) => tildify(d.path, paths.home))
  if (conflicts.length > 0) {
    throw new AppError('BACKUP_TARGET_NOT_EMPTY', `workspace paths already hold files: ${conflicts.join(', ')}`, {hint: [`Restore them elsewhere: openclaw backup restore ${archive} --workspace-target <dir>`]})
  }
  const inStateWorkspaces = manifest.workspaces.filter((w) => w.archivePath.startsWith('state/')).map((w) => w.archivePath.slice('state/'.length))
  const resolveDest = (archivePath: string): {dest: string; root: string; dirMode: number} => {
    if (archivePath.startsWith('state/')) {
      const rel = archivePath.slice('state/'.length)
      const inWorkspace = inStateWorkspaces.some((w) => rel.startsWith(w + '/'))
      return {dest: path.join(target, rel), root: target, dirMode: inWorkspace ? 0o755 : 0o700}
    }
    const [, agentId, ...rest] = archivePath.split('/')
    const d = destinations.get(`workspaces/${agentId}`)
    if (d === undefined) throw new AppError('BACKUP_CORRUPT', `${archivePath} belongs to no workspace in the manifest`, {hint: [`openclaw backup verify ${archive}`]})
    return {dest: path.join(d.path, ...rest), root: d.path, dirMode: 0o755}
  }
  const followUp = [...destinations.values()].filter((d) => d.moved).map((d) => `openclaw config set ${d.agentId === manifest.workspaces[0]?.agentId ? 'agents.defaults.workspace' : `agents.list[<index of ${d.agentId}>].workspace`} ${d.path}`)
  const out: RestoreBackupResult = {archive: file, target, files: manifest.files.length, dryRun: options.dryRun === true, workspaces: [...destinations.values()].map(({agentId, path: p}) => ({agentId, path: p})), followUp}
  if (options.dryRun === true) return out
  ensureDir(target, 0o700)
  const written = await inspectBackup(file, (entry) => {
    const {dest, root, dirMode} = resolveDest(entry.path.replace(/\/$/, ''))
    if (entry.type === 'Directory') {
      const recorded = manifest.dirs.find((d) => d.path === entry.path.replace(/\/$/, ''))
      makeParents(root, dest, recorded === undefined ? dirMode : Number.parseInt(recorded.mode, 8))
      return
    }
    makeParents(root, path.dirname(dest), dirMode)
    if (existsSync(dest)) throw new Error(`${dest} already exists; it is never replaced`)
    if (entry.type === 'SymbolicLink') symlinkSync(entry.linkpath ?? '', dest)
    else {
      const mode = Number.parseInt(manifest.files.find((f) => f.path === entry.path)?.mode ?? '600', 8)
      writeFileAtomic(dest, entry.data, {mode})
    }
  })
  if (!written.result.ok) {
    const problems = written.result.problems.map((p) => `${p.path}: ${p.problem}`).join('; ')
    throw new AppError('BACKUP_CORRUPT', `restore stopped: ${problems}; the files written so far are in ${shownTarget}`, {hint: [`Move it aside and retry: mv ${shownTarget} ${shownTarget}.partial`], result: written.result})
  }
  return out
}

/** Creates the dirs from `root` down to `dir`, each with `mode` (the umask cannot widen or narrow them). */
function makeParents(root: string, dir: string, mode: number): void {
  if (existsSync(dir)) return
  const rel = path.relative(root, dir)
  ensureDir(root, mode)
  let current = root
  for (const part of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, part)
    if (!existsSync(current)) {
      mkdirSync(current, {mode})
      chmodSync(current, mode)
    }
  }
}
