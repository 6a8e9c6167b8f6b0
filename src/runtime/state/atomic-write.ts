import {randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, unlinkSync, writeSync, fchmodSync} from 'node:fs'
import path from 'node:path'

export interface AtomicWriteOptions {
  /** File mode of the written file; default 0o600 (secrets live in our files). */
  mode?: number
}

/**
 * Replaces `file` atomically: writes a temp file (created exclusively, `mode`) in the same
 * directory, fsyncs it, renames it over the target and fsyncs the directory, so a reader sees the
 * old bytes or the new ones, never a mix, even after a crash. When `file` is a symlink the link's
 * final target is replaced and the link is left alone. Returns the path actually written.
 * Throws the underlying fs error; the temp file is removed on failure.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): string {
  const target = resolveWriteTarget(file)
  const dir = path.dirname(target)
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const mode = options.mode ?? 0o600
  let fd: number | undefined = openSync(temp, 'wx', mode)
  try {
    // The umask may have narrowed the mode, and a wider one must never be inherited.
    fchmodSync(fd, mode)
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let offset = 0
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temp, target)
  } catch (error) {
    if (fd !== undefined) closeSync(fd)
    try {
      unlinkSync(temp)
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw error
  }
  fsyncDir(dir)
  return target
}

/** Follows symlinks (also dangling ones, whose target will be created) to the path to write. */
export function resolveWriteTarget(file: string): string {
  let current = path.resolve(file)
  // Bounded: a symlink loop must end in an error, not spin.
  for (let hops = 0; hops < 40; hops++) {
    let stats
    try {
      stats = lstatSync(current)
    } catch {
      return current
    }
    if (!stats.isSymbolicLink()) return realpathOrSelf(current)
    current = path.resolve(path.dirname(current), readlinkSync(current))
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${file}`), {code: 'ELOOP'})
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

/** fsync on a directory makes the rename durable; some platforms refuse it, which is harmless. */
function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
