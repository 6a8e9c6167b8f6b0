import type {ConfigIssue} from './issues.js'
import type {Config} from './schema/index.js'
import {validateConfigTree} from './schema/validate.js'
import {substituteEnvInTree} from './substitute-env.js'

export interface SubstitutedAndValidated {
  /** `${VAR}` references that are unset or empty. */
  substitutionIssues: ConfigIssue[]
  /** Schema issues, each attributed to the included file its value came from. */
  schemaIssues: ConfigIssue[]
  config: Config | null
}

/**
 * The last steps of every load, shared by `loadConfig` and the in-memory evaluation of an edit:
 * `${VAR}` substitution, then the schema. A schema issue at a path whose `${VAR}` is already
 * reported is dropped: the literal reference failing the schema is noise.
 */
export function substituteAndValidate(authored: Record<string, unknown>, opts: {env: NodeJS.ProcessEnv; origins: ReadonlyMap<string, string>}): SubstitutedAndValidated {
  const substituted = substituteEnvInTree(authored, {env: opts.env, origins: opts.origins})
  const validated = validateConfigTree(substituted.tree)
  const envPaths = new Set(substituted.issues.map((i) => i.path))
  const schemaIssues: ConfigIssue[] = []
  for (const issue of validated.issues) {
    if (envPaths.has(issue.path)) continue
    const file = issue.file ?? originOfRendered(opts.origins, issue.path)
    schemaIssues.push(file === undefined ? issue : {...issue, file})
  }
  return {substitutionIssues: substituted.issues, schemaIssues, config: validated.config}
}

/** The included file a rendered path's value came from: the longest origin path that is it or an ancestor of it. */
function originOfRendered(origins: ReadonlyMap<string, string>, rendered: string): string | undefined {
  let best: string | undefined
  let file: string | undefined
  for (const [p, f] of origins) {
    const covers = p === rendered || p === '' || rendered.startsWith(p + '.') || rendered.startsWith(p + '[')
    if (covers && (best === undefined || p.length > best.length)) {
      best = p
      file = f
    }
  }
  return file
}
