/**
 * Where an agent lives (config.md §7.2): its workspace and agentDir, and whether an id is known.
 * Minimal until the agents registry lands; the run loop only needs these answers.
 */
import path from 'node:path'

import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'
import {resolveStatePath, stateFiles, type ResolvedPaths} from '../paths.js'
import {configuredAgents} from './default-agent.js'

/** The agent's id as configured, or AGENT_NOT_FOUND naming the ids that exist. */
export function requireAgent(config: Config, agentId: string | undefined): string {
  const {defaultId, list} = configuredAgents(config)
  if (agentId === undefined || agentId === '') return defaultId
  const id = agentId.trim().toLowerCase()
  if (list.some((agent) => agent.id === id)) return id
  throw new AppError('AGENT_NOT_FOUND', `unknown agent: ${agentId} (agents: ${list.map((a) => a.id).join(', ')})`, {
    hint: ['See the agents: openclaw agents list', `Add it: openclaw agents add ${id}`],
    details: {agentId},
  })
}

/** Workspace: the agent's own, else (default agent) agents.defaults.workspace / OPENCLAW_WORKSPACE_DIR / <state>/workspace, else <state>/workspace-<id>. */
export function agentWorkspace(config: Config, paths: Pick<ResolvedPaths, 'home' | 'stateDir' | 'workspaceDir'>, agentId: string): string {
  const entry = config.agents.list.find((agent) => agent.id === agentId)
  if (entry?.workspace !== undefined) return resolveStatePath(entry.workspace, paths)
  if (agentId !== configuredAgents(config).defaultId) return path.join(paths.stateDir, `workspace-${agentId}`)
  if (config.agents.defaults.workspace !== undefined) return resolveStatePath(config.agents.defaults.workspace, paths)
  return paths.workspaceDir ?? path.join(paths.stateDir, 'workspace')
}

/** agentDir: the agent's own, else <state>/agents/<id>/agent. */
export function agentDir(config: Config, paths: Pick<ResolvedPaths, 'home' | 'stateDir'>, agentId: string): string {
  const entry = config.agents.list.find((agent) => agent.id === agentId)
  if (entry?.agentDir !== undefined) return resolveStatePath(entry.agentDir, paths)
  return path.join(stateFiles(paths.stateDir).agentsDir, agentId, 'agent')
}
