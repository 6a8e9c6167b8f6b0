import {mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {writeFileAtomicAsync} from '../../state/atomic-write-async.js'

/** `<state>/telegram/update-offset-<accountId>.json` (telegram.md §4.4). */
export interface OffsetState {
  version: 1
  botId: string
  committedUpdateId: number | null
  fetchedUpdateId: number | null
  updatedAt: string
}

export function offsetFile(stateDir: string, accountId: string): string {
  return path.join(stateDir, 'telegram', `update-offset-${accountId}.json`)
}

/** The stored offsets for this bot, or null (no file, unreadable, or another bot's: a fresh start). */
export function readOffsets(file: string, botId: string): {state: OffsetState | null; note?: string} {
  let parsed: Partial<OffsetState>
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<OffsetState>
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {state: null}
    return {state: null, note: `ignored unreadable offset file ${file}`}
  }
  if (parsed.botId !== botId) return {state: null, note: `offset file ${file} belongs to bot ${parsed.botId}, starting fresh for bot ${botId}`}
  return {state: {version: 1, botId, committedUpdateId: num(parsed.committedUpdateId), fetchedUpdateId: num(parsed.fetchedUpdateId), updatedAt: String(parsed.updatedAt ?? '')}}
}

/** Atomic, fsynced, 0600; the disk work runs on the thread pool (the gateway keeps serving meanwhile). */
export async function writeOffsets(file: string, state: Omit<OffsetState, 'version' | 'updatedAt'>, now: Date): Promise<void> {
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  await writeFileAtomicAsync(file, JSON.stringify({version: 1, ...state, updatedAt: now.toISOString()}) + '\n')
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null
}
