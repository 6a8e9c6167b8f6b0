import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'

import {Parser} from 'tar'

/** One entry as read from an archive: its data fully buffered and hashed. */
export interface ArchiveEntry {
  path: string
  type: string
  mode: number
  size: number
  linkpath?: string
  data: Buffer
  sha256: string
}

export interface ArchiveReadResult {
  /** Set when gzip or tar framing failed; `at` is the entry being read then (if any). */
  error: {message: string; at: string | null} | null
}

/**
 * Streams a .tar.gz through the `tar` package's parser, handing each entry (buffered, hashed) to
 * `onEntry` in archive order. Integrity failures (gzip CRC, truncated or invalid tar) come back
 * as `error`, never thrown, so verify can name what it had read so far.
 */
export function readArchive(file: string, onEntry: (entry: ArchiveEntry) => void): Promise<ArchiveReadResult> {
  return new Promise((resolve) => {
    let current: string | null = null
    let settled = false
    const finish = (error: ArchiveReadResult['error']) => {
      if (settled) return
      settled = true
      resolve({error})
    }
    const parser = new Parser({strict: true})
    parser.on('entry', (entry) => {
      current = entry.path
      const chunks: Buffer[] = []
      const hash = createHash('sha256')
      entry.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        hash.update(chunk)
      })
      entry.on('end', () => {
        const data = Buffer.concat(chunks)
        const sha256 = entry.type === 'SymbolicLink' ? createHash('sha256').update(entry.linkpath ?? '').digest('hex') : hash.digest('hex')
        try {
          onEntry({path: entry.path, type: entry.type, mode: entry.mode ?? 0o600, size: data.length, linkpath: entry.linkpath, data, sha256})
        } catch (error) {
          finish({message: error instanceof Error ? error.message : String(error), at: entry.path})
          parser.abort(error instanceof Error ? error : new Error(String(error)))
        }
        current = null
      })
    })
    parser.on('error', (error: Error) => finish({message: error.message, at: current}))
    parser.on('warn', (_code: string, message: string | Error) => finish({message: typeof message === 'string' ? message : message.message, at: current}))
    parser.on('end', () => finish(null))
    parser.on('close', () => finish(null))
    const stream = createReadStream(file)
    stream.on('error', (error) => finish({message: error.message, at: null}))
    stream.pipe(parser)
  })
}
