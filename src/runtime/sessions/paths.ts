/** Where an agent's session store lives (runtime.md §5.1). */
import path from 'node:path'

import {resolveStatePath, stateFiles, type ResolvedPaths} from '../paths.js'

/** `session.store` with `{agentId}` substituted, else `<state>/agents/<id>/sessions/sessions.json`. */
export function sessionStorePath(paths: Pick<ResolvedPaths, 'home' | 'stateDir'>, agentId: string, storeTemplate: string | undefined): string {
  if (storeTemplate !== undefined && storeTemplate !== '') return resolveStatePath(storeTemplate.replaceAll('{agentId}', agentId), paths)
  return path.join(stateFiles(paths.stateDir).agentsDir, agentId, 'sessions', 'sessions.json')
}

/** The directory holding an agent's index and transcripts (`<sessionId>.jsonl` beside `sessions.json`). */
export function sessionsDir(paths: Pick<ResolvedPaths, 'home' | 'stateDir'>, agentId: string, storeTemplate: string | undefined): string {
  return path.dirname(sessionStorePath(paths, agentId, storeTemplate))
}
