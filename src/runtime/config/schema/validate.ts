// STUB: the config-schema work replaces this file.
import type {ConfigIssue} from '../issues.js'
import {ConfigSchema, type Config} from './index.js'

/** Validates an authored tree (after includes, legacy migration and ${VAR} substitution). */
export function validateConfigTree(tree: unknown): {config: Config | null; issues: ConfigIssue[]} {
  const parsed = ConfigSchema.safeParse(tree)
  return parsed.success ? {config: parsed.data, issues: []} : {config: null, issues: [{path: '', message: 'invalid', code: 'CONFIG_INVALID'}]}
}
