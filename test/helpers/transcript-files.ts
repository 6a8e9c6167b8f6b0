import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

/** Every line of every JSONL transcript of `agentId` under `stateDir` (archives excluded), file by file; none when the sessions dir does not exist yet. */
export function transcriptLines(stateDir: string, agentId = 'main'): string[] {
  const dir = path.join(stateDir, 'agents', agentId, 'sessions')
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((name) => name.endsWith('.jsonl')).flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n'))
}
