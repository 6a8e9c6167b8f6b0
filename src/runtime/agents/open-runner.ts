/**
 * Builds an AgentRunner over the file session stores of a state dir: the gateway's `agents`
 * subsystem and the embedded CLI path (`agent --local`) share this, so both write the same store.
 */
import type {Config} from '../config/schema/index.js'
import type {ResolvedPaths} from '../paths.js'
import {createFileSessionStore, sessionStoresOf} from '../sessions/open-store.js'
import type {SessionStores} from '../sessions/store.js'
import {sessionsDir} from '../sessions/paths.js'
import {agentWorkspace} from './agent-home.js'
import {AgentRunner, type RunnerDeps} from './run/agent-runner.js'

export interface OpenRunnerOptions extends Omit<RunnerDeps, 'stores'> {
  config(): Config
  paths: ResolvedPaths
}

/** The file session stores under `<state>/agents/<id>/sessions/` (or `session.store`). */
export function openSessionStores(options: Pick<OpenRunnerOptions, 'config' | 'paths' | 'now'>): SessionStores {
  return sessionStoresOf((agentId) => {
    const config = options.config()
    return createFileSessionStore(sessionsDir(options.paths, agentId, config.session.store), {agentId, cwd: agentWorkspace(config, options.paths, agentId), now: options.now})
  })
}

/**
 * A runner over `stores` (by default the file stores of the state dir). The gateway passes the
 * stores it also serves `sessions.*` from, so both see one cache and one writer per index.
 */
export function openAgentRunner(options: OpenRunnerOptions, stores: SessionStores = openSessionStores(options)): AgentRunner {
  return new AgentRunner({...options, stores})
}
