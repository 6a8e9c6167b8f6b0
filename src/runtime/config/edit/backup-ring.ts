import {existsSync, renameSync} from 'node:fs'

import {writeFileAtomic} from '../../state/atomic-write.js'

/** `.bak` plus `.bak.1` … `.bak.4`: the last five versions before owned writes. */
export const BACKUP_RING_SIZE = 5

/** `<config>.bak`, `<config>.bak.1`, … newest first. */
export function backupRing(configPath: string): string[] {
  return Array.from({length: BACKUP_RING_SIZE}, (_, i) => (i === 0 ? `${configPath}.bak` : `${configPath}.bak.${i}`))
}

/** Where the last hand-written version is kept (comments and all) until the user edits by hand again. */
export function handWrittenBackupPath(configPath: string): string {
  return `${configPath}.hand.bak`
}

/**
 * True when `bytes` are exactly what an owned write produces (2-space JSON, trailing newline), so
 * nothing a person wrote (comments, layout) would be lost by replacing the file.
 */
export function isOwnWriteFormat(bytes: Buffer): boolean {
  const text = bytes.toString('utf8')
  try {
    return JSON.stringify(JSON.parse(text), null, 2) + '\n' === text
  } catch {
    return false
  }
}

/**
 * Keeps `previous` (the file about to be replaced) as `.bak`, shifting older copies down the ring
 * (the oldest drops off); a hand-written `previous` is also kept as `.hand.bak`, which later owned
 * writes never touch. Returns the paths written (`handWritten` null when `previous` was our own).
 */
export function keepBackups(configPath: string, previous: Buffer): {backup: string; handWritten: string | null} {
  const ring = backupRing(configPath)
  for (let i = ring.length - 1; i > 0; i--) {
    if (existsSync(ring[i - 1])) renameSync(ring[i - 1], ring[i])
  }
  writeFileAtomic(ring[0], previous, {mode: 0o600})
  if (isOwnWriteFormat(previous)) return {backup: ring[0], handWritten: null}
  const handWritten = handWrittenBackupPath(configPath)
  writeFileAtomic(handWritten, previous, {mode: 0o600})
  return {backup: ring[0], handWritten}
}
