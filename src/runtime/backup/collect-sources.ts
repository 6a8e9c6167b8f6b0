import {readlinkSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../config/deep-merge.js'
import {loadConfig} from '../config/load.js'
import {resolveStatePath, stateFiles, type ResolvedPaths} from '../paths.js'
import {lstatOrNull, walkTree} from '../doctor/fs-inspect.js'

/** One file or symlink to archive. */
export interface SourceEntry {
  abs: string
  /** `state/<rel>` or `workspaces/<agentId>/<rel>`. */
  archivePath: string
  kind: 'file' | 'link' | 'dir'
  mode: number
  linkTarget?: string
}

export interface WorkspaceSource {
  agentId: string
  path: string
  /** Where its files are in the archive: `state/<rel>` inside the state dir, else `workspaces/<agentId>`. */
  archivePath: string
}

export interface BackupSources {
  stateDir: string
  configPath: string
  workspaces: WorkspaceSource[]
  entries: SourceEntry[]
}

/** Never archived: our own backups, transient locks, logs and inbound media (operations.md §9). */
const SKIPPED_TOP = new Set(['backups', 'locks', 'logs', 'media'])

/** Every agent's workspace (config.md §7.2): the default agent's from `agents.defaults.workspace`, others `<state>/workspace-<id>`. */
export function agentWorkspaces(paths: ResolvedPaths, authored: Record<string, unknown> | null): Array<{agentId: string; path: string}> {
  const agents = isPlainObject(authored?.agents) ? authored.agents : {}
  const defaults = isPlainObject(agents.defaults) ? agents.defaults : {}
  const list = Array.isArray(agents.list) ? agents.list.filter(isPlainObject) : []
  const defaultEntry = list.find((a) => a.default === true) ?? list[0]
  const defaultId = typeof defaultEntry?.id === 'string' ? defaultEntry.id : 'main'
  const usable = (v: unknown): v is string => typeof v === 'string' && !v.includes('${')
  const defaultWorkspace = usable(defaults.workspace) ? resolveStatePath(defaults.workspace, paths) : (paths.workspaceDir ?? path.join(paths.stateDir, 'workspace'))
  const out = [{agentId: defaultId, path: defaultWorkspace}]
  for (const agent of list) {
    if (typeof agent.id !== 'string' || agent.id === defaultId) continue
    out.push({agentId: agent.id, path: usable(agent.workspace) ? resolveStatePath(agent.workspace, paths) : path.join(paths.stateDir, `workspace-${agent.id}`)})
  }
  return out
}

function inside(dir: string, p: string): string | null {
  const rel = path.relative(dir, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) ? rel : null
}

function toEntry(abs: string, archivePath: string): SourceEntry | null {
  const stats = lstatOrNull(abs)
  if (stats === undefined) return null
  if (stats.isFile()) return {abs, archivePath, kind: 'file', mode: stats.mode & 0o7777}
  // Directories are archived too, so empty ones (credentials/) and their modes come back.
  if (stats.isDirectory()) return {abs, archivePath, kind: 'dir', mode: stats.mode & 0o7777}
  if (stats.isSymbolicLink()) {
    return {abs, archivePath, kind: 'link', mode: 0o777, linkTarget: readlinkSync(abs)}
  }
  return null
}

/** What `backup create` archives, without reading any file's contents. */
export function collectBackupSources(paths: ResolvedPaths, env: NodeJS.ProcessEnv, options: {onlyConfig?: boolean; noWorkspace?: boolean}): BackupSources {
  const loaded = loadConfig({paths, env: {...env}, shellEnv: false})
  const stateDir = paths.stateDir
  const entries: SourceEntry[] = []
  const add = (abs: string, archivePath: string) => {
    const entry = toEntry(abs, archivePath)
    if (entry !== null) entries.push(entry)
  }
  if (options.onlyConfig === true) {
    const files = new Set([...loaded.files, stateFiles(stateDir).dotenv])
    for (const file of files) {
      const rel = inside(stateDir, file)
      if (rel !== null && rel !== '') add(file, `state/${rel}`)
    }
    return {stateDir, configPath: paths.configPath, workspaces: [], entries}
  }
  const workspaces = options.noWorkspace === true ? [] : agentWorkspaces(paths, loaded.authored)
  const allWorkspaces = agentWorkspaces(paths, loaded.authored)
  const inStateWorkspaces = allWorkspaces.map((w) => inside(stateDir, w.path)).filter((rel): rel is string => rel !== null && rel !== '')
  const skip = (rel: string) => {
    const top = rel.split(path.sep)[0]
    if (SKIPPED_TOP.has(top) || rel.endsWith('.lock')) return true
    return options.noWorkspace === true && inStateWorkspaces.some((w) => rel === w || rel.startsWith(w + path.sep))
  }
  for (const {path: abs, rel} of walkTree(stateDir, skip)) add(abs, `state/${rel.split(path.sep).join('/')}`)
  const recorded: WorkspaceSource[] = []
  for (const workspace of workspaces) {
    const rel = inside(stateDir, workspace.path)
    if (rel !== null) {
      recorded.push({...workspace, archivePath: `state/${rel}`})
      continue
    }
    if (lstatOrNull(workspace.path)?.isDirectory() !== true) continue
    const base = `workspaces/${workspace.agentId}`
    recorded.push({...workspace, archivePath: base})
    for (const {path: abs, rel: wrel} of walkTree(workspace.path, () => false)) add(abs, `${base}/${wrel.split(path.sep).join('/')}`)
  }
  return {stateDir, configPath: paths.configPath, workspaces: recorded, entries}
}
