import {AppError} from '../../errors/app-error.js'
import type {ResolvedPaths} from '../../paths.js'
import {invalidConfigError, type ConfigIssue} from '../issues.js'
import {loadConfig} from '../load.js'
import {configJsonSchema} from '../schema/json-schema.js'
import {invalidConfigWarning} from './evaluate-tree.js'

/** `config validate --json` (config.md §10.2). */
export interface ValidateConfigResult {
  path: string
  exists: boolean
  valid: boolean
  issues: ConfigIssue[]
  warnings: string[]
}

/**
 * `openclaw config validate`: the full load. A missing file is valid (defaults apply) with a
 * warning. An invalid config throws the §6.3 error (code CONFIG_INVALID, or the one code all
 * issues share) carrying the result, so `--json` still shows `{valid: false, issues}`.
 */
export function validateConfigFile(ctx: {paths: ResolvedPaths; env: NodeJS.ProcessEnv}): ValidateConfigResult {
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env})
  const warnings = [...loaded.warnings]
  if (!loaded.exists) warnings.push(`No config file at ${loaded.configPath}; defaults apply`)
  const valid = loaded.issues.length === 0
  const result: ValidateConfigResult = {path: loaded.configPath, exists: loaded.exists, valid, issues: loaded.issues, warnings}
  if (valid) return result
  const error = invalidConfigError(loaded.configPath, loaded.issues, ctx.paths.home)
  throw new AppError(error.code, error.message, {hint: error.hint, details: error.details, result})
}

/** `config file --json` (config.md §10.2), plus warnings for stderr. */
export interface ConfigFileInfo {
  path: string
  exists: boolean
  stateDir: string
  profile: string | null
  warnings: string[]
}

/**
 * `openclaw config file`: where the config is. Loads it (without the login-shell step) only to
 * warn when it is invalid; never fails because of the config's content.
 */
export function describeConfigFile(ctx: {paths: ResolvedPaths; env: NodeJS.ProcessEnv}): ConfigFileInfo {
  const loaded = loadConfig({paths: ctx.paths, env: {...ctx.env}, shellEnv: false})
  const warnings = loaded.issues.length > 0 ? [invalidConfigWarning(loaded.issues.length)] : []
  return {path: ctx.paths.configPath, exists: loaded.exists, stateDir: ctx.paths.stateDir, profile: ctx.paths.profile, warnings}
}

/** `openclaw config schema`: the JSON Schema (2020-12) generated from the zod schema; the `config.schema` RPC returns the same document. */
export function configSchemaDocument(): Record<string, unknown> {
  return configJsonSchema() as Record<string, unknown>
}
