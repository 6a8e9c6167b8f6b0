/**
 * File-system failures that come from the machine, not from a bug (issue 6, defect 5): a full
 * disk, a read-only mount, permissions, a quota, descriptor exhaustion. Callers turn them into
 * an AppError naming the path and this cause, with exit 1 (78 for the gateway's startup).
 */

const CAUSES: Readonly<Record<string, string>> = Object.freeze({
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files on this system',
})

/** `no space left on the device (ENOSPC)` for an environmental fs error, else undefined. */
export function fsErrorCause(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string') return undefined
  const cause = CAUSES[code]
  return cause === undefined ? undefined : `${cause} (${code})`
}

/** A shell command that shows the user what is wrong with `dir` for this error. */
export function fsErrorCheckCommand(error: unknown, dir: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') return `df -h ${dir}`
  if (code === 'EROFS') return `findmnt -T ${dir}`
  if (code === 'EMFILE' || code === 'ENFILE') return 'ulimit -n'
  return `ls -ld ${dir}`
}
