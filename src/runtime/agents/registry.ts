/**
 * Agent resolution (config.md §7.2): `agents.list` over `agents.defaults`, the default agent, the
 * implicit `main`, and each agent's workspace, agentDir and sessions dir. Pure over config + paths.
 */
import path from 'node:path'

import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'
import {resolveStatePath, stateFiles, type ResolvedPaths} from '../paths.js'
import {normalizeAgentId} from '../routing/normalize.js'
import {sessionsDir} from '../sessions/paths.js'
import {configuredAgents, IMPLICIT_AGENT_ID} from './default-agent.js'

export type AgentPaths = Pick<ResolvedPaths, 'home' | 'stateDir' | 'workspaceDir'>

export interface ResolvedAgent {
  id: string
  name: string | null
  isDefault: boolean
  /** True for the implicit `main` of an empty `agents.list`. */
  implicit: boolean
  workspace: string
  agentDir: string
  sessionsDir: string
  /** Primary model ref (the agent's, else `agents.defaults.model`), null when none. */
  model: string | null
  fallbacks: string[]
  identity: {name?: string; emoji?: string; theme?: string; avatar?: string}
}

type AgentConfig = Config['agents']['list'][number]

/** Every agent, in config order (or the implicit `main`). */
export function resolveAgents(config: Readonly<Config>, paths: AgentPaths): ResolvedAgent[] {
  const {defaultId, list} = configuredAgents(config)
  return list.map((entry) => {
    const own = config.agents.list.find((agent) => agent.id === entry.id)
    return resolveOne(config, paths, entry.id, entry.id === defaultId, own)
  })
}

/** The agent `id` (the default agent when undefined); AGENT_NOT_FOUND lists the known ids. */
export function resolveAgent(config: Readonly<Config>, paths: AgentPaths, id?: string): ResolvedAgent {
  const agents = resolveAgents(config, paths)
  if (id === undefined) return agents.find((agent) => agent.isDefault) ?? agents[0]
  const wanted = normalizeAgentId(id)
  const found = agents.find((agent) => agent.id === wanted)
  if (found !== undefined) return found
  throw unknownAgent(id, agents.map((agent) => agent.id))
}

export function unknownAgent(id: string, known: readonly string[]): AppError {
  return new AppError('AGENT_NOT_FOUND', `Unknown agent "${id}". Known agents: ${known.join(', ')}.`, {
    hint: ['openclaw agents list', `openclaw agents add ${normalizeAgentId(id)}`],
    details: {known},
  })
}

function resolveOne(config: Readonly<Config>, paths: AgentPaths, id: string, isDefault: boolean, own: AgentConfig | undefined): ResolvedAgent {
  const selection = own?.model ?? config.agents.defaults.model
  const model = selection === undefined ? null : typeof selection === 'string' ? selection : selection.primary
  const fallbacks = selection === undefined || typeof selection === 'string' ? [] : [...selection.fallbacks]
  return {
    id,
    name: own?.name ?? null,
    isDefault,
    implicit: own === undefined && id === IMPLICIT_AGENT_ID,
    workspace: agentWorkspace(config, paths, id, isDefault, own?.workspace),
    agentDir: own?.agentDir !== undefined ? resolveStatePath(own.agentDir, paths) : path.join(stateFiles(paths.stateDir).agentsDir, id, 'agent'),
    sessionsDir: sessionsDir(paths, id, config.session.store),
    model,
    fallbacks,
    identity: {...own?.identity},
  }
}

/**
 * The agent's own `workspace`, else for the default agent `agents.defaults.workspace`, then
 * OPENCLAW_WORKSPACE_DIR, then `<state>/workspace`; other agents `<state>/workspace-<id>`.
 */
export function agentWorkspace(config: Readonly<Config>, paths: AgentPaths, id: string, isDefault: boolean, own?: string): string {
  if (own !== undefined) return resolveStatePath(own, paths)
  if (!isDefault) return path.join(paths.stateDir, `workspace-${id}`)
  const defaults = config.agents.defaults.workspace
  if (defaults !== undefined) return resolveStatePath(defaults, paths)
  return paths.workspaceDir ?? path.join(paths.stateDir, 'workspace')
}
