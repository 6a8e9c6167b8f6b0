import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'
import {listProviders} from './catalog.js'
import {agentModelSelection} from './model-ref.js'
import {resolveModelCandidate} from './resolve-model.js'

const WEEK_MS = 7 * 24 * 60 * 60 * 1000

/** One row of `models status` (operations.md §10). */
export interface ModelStatusRow {
  ref: string
  role: 'primary' | 'fallback'
  provider: string
  api: string
  /** `config`, `auth-profile:<id>`, `env:<NAME>`, `none (local server)` or `none`. */
  authSource: string
  expiresAt?: string
  status: 'ok' | 'warn' | 'fail'
  problems: string[]
}

export interface ModelsStatus {
  agentId: string
  models: ModelStatusRow[]
  /** The exit code `--check` uses: 0 usable, 1 unusable or nothing configured, 2 a credential expires within 7 days. */
  checkExitCode: 0 | 1 | 2
}

/**
 * Walks the agent's chain without network (operations.md §10): provider known, model listed,
 * api supported, credential source and expiry. The primary decides the check: a fallback
 * without credentials is only a warning.
 */
export function modelsStatus(config: Readonly<Config>, input: {agentId: string; agentDir?: string; env: Readonly<Record<string, string | undefined>>; now: number}): ModelsStatus {
  const providers = listProviders(config)
  const chain = agentModelSelection(config, input.agentId)
  const refs = chain.primary === undefined ? [] : [chain.primary, ...chain.fallbacks.filter((r) => r !== chain.primary)]
  const models = refs.map((raw, index): ModelStatusRow => {
    const role = index === 0 ? 'primary' : 'fallback'
    try {
      const candidate = resolveModelCandidate(config, raw, {env: input.env, agentDir: input.agentDir}, providers)
      const provider = providers.get(candidate.model.provider)!
      const problems: string[] = []
      let status: ModelStatusRow['status'] = 'ok'
      const warn = (p: string) => {
        problems.push(p)
        if (status === 'ok') status = 'warn'
      }
      if (!candidate.listed) warn(`model not listed for ${provider.id} (defaults apply: context ${candidate.model.contextWindow}, max tokens ${candidate.model.maxTokens})`)
      for (const w of provider.warnings) warn(w)
      const key = candidate.keys[0]
      if (key === undefined && candidate.keyRequired) {
        problems.push(`no credential: set ${candidate.keyEnvVar} or models.providers.${provider.id}.apiKey`)
        status = role === 'primary' ? 'fail' : status === 'ok' ? 'warn' : status
      }
      if (key?.expiresAt !== undefined) {
        if (key.expiresAt <= input.now) {
          problems.push(`credential ${key.source} expired ${new Date(key.expiresAt).toISOString()}`)
          status = role === 'primary' ? 'fail' : 'warn'
        } else if (key.expiresAt - input.now <= WEEK_MS) warn(`credential ${key.source} expires ${new Date(key.expiresAt).toISOString()}`)
      }
      return {
        ref: candidate.model.ref,
        role,
        provider: provider.id,
        api: provider.configuredApi,
        authSource: key?.source ?? (candidate.keyRequired ? 'none' : 'none (local server)'),
        ...(key?.expiresAt === undefined ? {} : {expiresAt: new Date(key.expiresAt).toISOString()}),
        status,
        problems,
      }
    } catch (error) {
      const message = error instanceof AppError ? error.message : String(error)
      return {ref: raw, role, provider: raw.split('/')[0] ?? '', api: 'unknown', authSource: 'none', status: role === 'primary' ? 'fail' : 'warn', problems: [message]}
    }
  })
  const primary = models[0]
  const expiring = models.some((m) => m.expiresAt !== undefined && Date.parse(m.expiresAt) - input.now <= WEEK_MS && Date.parse(m.expiresAt) > input.now)
  const checkExitCode = primary === undefined || primary.status === 'fail' ? 1 : expiring ? 2 : 0
  return {agentId: input.agentId, models, checkExitCode}
}
