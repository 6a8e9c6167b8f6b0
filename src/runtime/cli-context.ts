import {loadDotenvSources} from './config/env-sources.js'
import {currentDir, pathInputsFromProcess, resolvePaths, type ResolvedPaths} from './paths.js'

/** What every CLI command starts from: resolved paths and the process env with dotenv sources applied. */
export interface CliContext {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  /** One-line notices for stderr (profile overrides, legacy dirs, ignored env entries). */
  notices: string[]
  /** Variables `<state>/.env` set (the gateway re-reads that file on SIGHUP and replaces them). */
  stateDotenvKeys: string[]
}

/**
 * Applies `./.env` (which may move the state dir), resolves paths, then applies `<state>/.env`
 * (config.md §3.1). Mutates `process.env` on purpose: child processes and `${VAR}` substitution
 * must see the same variables.
 */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const notices: string[] = []
  const cwdDotenv = loadDotenvSources(env, {phase: 'cwd', cwd: currentDir(env)})
  notices.push(...cwdDotenv.warnings)
  const paths = resolvePaths(pathInputsFromProcess(env))
  notices.push(...paths.notices)
  const stateDotenv = loadDotenvSources(env, {phase: 'state', stateDir: paths.stateDir, cwd: paths.cwd})
  notices.push(...stateDotenv.warnings)
  return {paths, env, notices, stateDotenvKeys: stateDotenv.applied}
}
