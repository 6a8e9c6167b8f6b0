/** `manifest.json`, the first entry of every backup archive (operations.md §9). */
export interface BackupManifest {
  format: 1
  createdAt: string
  version: string
  hostname: string
  platform: string
  profile: string | null
  stateDir: string
  configPath: string
  workspaces: Array<{agentId: string; path: string; archivePath: string}>
  files: ManifestFile[]
  /** Directories with their modes (octal strings), so empty ones are restored too. */
  dirs: Array<{path: string; mode: string}>
}

export interface ManifestFile {
  path: string
  size: number
  /** Octal string, e.g. `0600`. */
  mode: string
  sha256: string
  /** Set for a symlink (its size is 0 and sha256 is the hash of the link text). */
  link?: string
}

/** A manifest as read from an archive, or null when it is not one of ours. */
export function parseManifest(bytes: Buffer): BackupManifest | null {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return null
  }
  const m = value as BackupManifest
  if (typeof m !== 'object' || m === null || m.format !== 1 || !Array.isArray(m.files) || !Array.isArray(m.workspaces)) return null
  if (!Array.isArray(m.dirs)) m.dirs = []
  const filesOk = m.files.every((f) => typeof f?.path === 'string' && typeof f.size === 'number' && typeof f.sha256 === 'string' && typeof f.mode === 'string')
  return filesOk ? m : null
}

/** Why an archive path is unsafe to extract, or null when it is fine. */
export function unsafeArchivePath(p: string): string | null {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute path'
  if (p.split('/').includes('..')) return 'path contains ..'
  if (!p.startsWith('state/') && !p.startsWith('workspaces/')) return 'outside state/ and workspaces/'
  return null
}
