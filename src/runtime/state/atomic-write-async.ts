import {randomBytes} from 'node:crypto'
import {open, rename, unlink} from 'node:fs/promises'
import path from 'node:path'

import {resolveWriteTarget, type AtomicWriteOptions} from './atomic-write.js'

/**
 * `writeFileAtomic` (same promise: temp file created exclusively with `mode`, fsync, rename over the
 * target, fsync of the directory; symlinks followed) on the thread pool, for writes on a hot path
 * of the gateway: the event loop keeps serving other work while the disk syncs, which under a burst
 * of concurrent transcript fsyncs can take tens of milliseconds. Returns the path actually written.
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<string> {
  const target = resolveWriteTarget(file)
  const dir = path.dirname(target)
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const mode = options.mode ?? 0o600
  const handle = await open(temp, 'wx', mode)
  try {
    // The umask may have narrowed the mode, and a wider one must never be inherited.
    await handle.chmod(mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await rename(temp, target)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDir(dir)
  return target
}

/** fsync on a directory makes the rename durable; some platforms refuse it, which is harmless. */
export async function syncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync.
  } finally {
    await handle?.close()
  }
}
