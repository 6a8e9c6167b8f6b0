/**
 * The config view of a client command (`gateway call|health|probe`, `health`): these keep working
 * with an invalid config, using its well-typed parts and defaults (config.md §6.5).
 */
import {loadConfig} from '../../config/load.js'
import type {ResolvedPaths} from '../../paths.js'
import {resolveGatewayTarget, type GatewayTarget, type GatewayTargetFlags, type GatewayTargetInputs} from './target.js'

export interface ClientTargetSetup {
  target: GatewayTarget
  /** What the config supplied, for commands that resolve more than one target. */
  inputs: GatewayTargetInputs
  /** One-line warnings for stderr: the invalid-config notice, legacy keys. */
  warnings: string[]
}

/**
 * Loads the config leniently and resolves the target (operations.md §1.2). Never fails for a
 * broken config file; throws USAGE/ENV_INVALID only for bad flags or env values.
 */
export function setupGatewayClient(options: {paths: ResolvedPaths; env: NodeJS.ProcessEnv; flags: GatewayTargetFlags}): ClientTargetSetup {
  const loaded = loadConfig({paths: options.paths, env: options.env})
  const warnings = [...loaded.warnings]
  if (loaded.issues.length > 0) {
    const count = `${loaded.issues.length} issue${loaded.issues.length === 1 ? '' : 's'}`
    warnings.unshift(`Config is invalid (${count}); see: openclaw config validate`)
  }
  const inputs: GatewayTargetInputs = {flags: options.flags, env: options.env, config: loaded.config, authored: loaded.authored}
  return {target: resolveGatewayTarget(inputs), inputs, warnings}
}
