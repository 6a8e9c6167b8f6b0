import {readFileSync, statSync} from 'node:fs'

/** Reads a token file: regular files only (telegram.md §2); the caller trims and checks the mode. */
export function readTokenFile(file: string): {text: string; mode: number} {
  const stat = statSync(file)
  if (!stat.isFile()) throw new Error('not a regular file')
  return {text: readFileSync(file, 'utf8'), mode: stat.mode}
}
