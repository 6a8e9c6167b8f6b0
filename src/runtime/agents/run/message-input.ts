/**
 * `agent --message-file <path|->` (operations.md §2.2): the message from a file or stdin, read
 * whole (up to 1 MB, trailing newline dropped so `echo hi | openclaw agent --message-file -`
 * sends `hi`).
 */
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../../errors/app-error.js'

export const MAX_MESSAGE_FILE_BYTES = 1024 * 1024

function usage(message: string, hint: string[]): AppError {
  return new AppError('USAGE', message, {hint})
}

function finish(text: string, from: string): string {
  const message = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '')
  if (message.trim() === '') throw usage(`the message in ${from} is empty`, ['openclaw agent --message "…"'])
  return message
}

/** Reads `file` (relative to `cwd`), or `stdin` for `-`. */
export async function readMessageFile(file: string, cwd: string, stdin: AsyncIterable<Uint8Array | string>): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = []
    let total = 0
    for await (const chunk of stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)
      total += buffer.length
      if (total > MAX_MESSAGE_FILE_BYTES) throw usage('the message on stdin is larger than 1 MB', ['Send a shorter message, or put the text in a workspace file and ask the agent to read it'])
      chunks.push(buffer)
    }
    return finish(Buffer.concat(chunks).toString('utf8'), 'stdin')
  }
  const full = path.resolve(cwd, file)
  let size: number
  try {
    size = statSync(full).size
  } catch {
    throw usage(`message file not found: ${full}`, [`Check the path, or pass the text: openclaw agent --message "…"`])
  }
  if (size > MAX_MESSAGE_FILE_BYTES) throw usage(`message file ${full} is larger than 1 MB`, ['Put the text in a workspace file and ask the agent to read it'])
  try {
    return finish(readFileSync(full, 'utf8'), full)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw usage(`cannot read message file ${full}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ['Check the path, or pass the text: openclaw agent --message "…"'])
  }
}
