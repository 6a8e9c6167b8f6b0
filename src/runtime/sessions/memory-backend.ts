/**
 * The in-memory twin of the file backend: same names, same semantics (append-only text, atomic
 * index replace, exclusive transcript locks), no disk. For tests and for callers that want a
 * throwaway store.
 */
import {AppError} from '../errors/app-error.js'
import type {FileInfo, StoreBackend} from './backend.js'

export function createMemoryBackend(options: {now?: () => number; label?: string} = {}): StoreBackend {
  const now = options.now ?? Date.now
  const files = new Map<string, {text: string; mtimeMs: number; version: number}>()
  const locks = new Set<string>()
  let writes = 0
  let indexChain: Promise<unknown> = Promise.resolve()

  const put = (name: string, text: string) => files.set(name, {text, mtimeMs: now(), version: ++writes})
  const info = (name: string): FileInfo | null => {
    const file = files.get(name)
    return file === undefined ? null : {name, size: Buffer.byteLength(file.text), mtimeMs: file.mtimeMs}
  }

  return {
    dir: options.label ?? 'memory:sessions',
    async read(name) {
      return files.get(name)?.text ?? null
    },
    async readTail(name, maxBytes) {
      const file = files.get(name)
      if (file === undefined) return null
      const bytes = Buffer.from(file.text)
      return bytes.subarray(Math.max(0, bytes.length - maxBytes)).toString('utf8')
    },
    async stat(name) {
      return info(name)
    },
    async list() {
      return [...files.keys()].map((name) => info(name)).filter((entry): entry is FileInfo => entry !== null)
    },
    async writeAtomic(name, text) {
      put(name, text)
    },
    async append(name, text) {
      put(name, (files.get(name)?.text ?? '') + text)
    },
    async rename(from, to) {
      const file = files.get(from)
      if (file === undefined) throw Object.assign(new Error(`ENOENT: ${from}`), {code: 'ENOENT'})
      files.delete(from)
      files.set(to, file)
    },
    async remove(name) {
      files.delete(name)
    },
    async version(name) {
      const file = files.get(name)
      return file === undefined ? null : String(file.version)
    },
    withIndexLock<T>(fn: () => Promise<T>): Promise<T> {
      const run = indexChain.then(fn, fn)
      indexChain = run.catch(() => undefined)
      return run
    },
    async lockFile(name) {
      if (locks.has(name)) throw new AppError('SESSION_LOCKED', `The session transcript ${name} is locked.`, {hint: ['Wait for that run to finish, then retry.']})
      locks.add(name)
      return {
        async release() {
          locks.delete(name)
        },
      }
    },
  }
}
