/**
 * The embedded (no gateway) entry points of `openclaw sessions …`: load the valid config, open the
 * agents' file stores, run one query.
 */
import {loadValidConfig} from '../agents/load-agents-config.js'
import type {ResolvedPaths} from '../paths.js'
import {fileSessionStores, listSessions, resetSessionByKey, sessionHistory, type ListSessionsOptions, type SessionsDeps} from './session-queries.js'

interface Ctx {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
}

function deps(ctx: Ctx): SessionsDeps {
  const config = loadValidConfig(ctx)
  return {config, paths: ctx.paths, stores: fileSessionStores(config, ctx.paths)}
}

export function listSessionsLocal(ctx: Ctx, options: ListSessionsOptions) {
  return listSessions(deps(ctx), options)
}

export function sessionHistoryLocal(ctx: Ctx, input: {key: string; agentId?: string; sessionId?: string; limit?: number}) {
  return sessionHistory(deps(ctx), input)
}

export async function resetSessionLocal(ctx: Ctx, input: {key: string; agentId?: string; reason?: 'new' | 'reset'; expectedSessionId?: string}) {
  const {entry: _entry, ...result} = await resetSessionByKey(deps(ctx), input)
  return result
}
