import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'
import {listProviders, unlistedModelMeta, type ModelMeta, type ProviderEntry} from './catalog.js'
import {resolveCompat} from './compat.js'
import {collectProviderKeys, readAuthProfileKeys, type KeySource} from './key-sources.js'
import {agentModelSelection, resolveModelRef, type ModelRef} from './model-ref.js'
import {CATALOG_MODELS} from './presets.js'
import type {ResolvedModel} from './provider.js'

/** A model the run may try, with the keys its provider can use. */
export interface ModelCandidate {
  model: ResolvedModel
  keys: KeySource[]
  /** False for local servers: no key means no Authorization header. */
  keyRequired: boolean
  /** The env variable a user would set for this provider (`OPENAI_API_KEY`). */
  keyEnvVar: string
  /** Whether the provider lists the model (config or built-in catalog). */
  listed: boolean
}

export interface ResolveOptions {
  env: Readonly<Record<string, string | undefined>>
  /** The agent's state dir, for `auth-profiles.json`. */
  agentDir?: string
}

const IDLE_TIMEOUT_MS = 120_000
const LOCAL_IDLE_TIMEOUT_MS = 300_000

/** Looks up a provider or throws MODEL_PROVIDER_UNKNOWN naming the ref. */
export function requireProvider(config: Readonly<Config>, ref: ModelRef, providers = listProviders(config)): ProviderEntry {
  const provider = providers.get(ref.provider)
  if (provider !== undefined) return provider
  const known = [...providers.keys()].sort().join(', ')
  throw new AppError('MODEL_PROVIDER_UNKNOWN', `Unknown model provider "${ref.provider}" in model ref "${ref.ref}"${known === '' ? '' : ` (known: ${known})`}`, {
    hint: ['See the providers and models you can use: openclaw models list --all', `Configure it: openclaw config set models.providers.${ref.provider}.baseUrl <url>`],
    details: {ref: ref.ref, provider: ref.provider},
  })
}

/** A ref or alias -> a fully resolved candidate (preset + config merged, compat resolved, keys collected). */
export function resolveModelCandidate(config: Readonly<Config>, raw: string, options: ResolveOptions, providers = listProviders(config)): ModelCandidate {
  const ref = resolveModelRef(config, raw)
  const provider = requireProvider(config, ref, providers)
  const listedMeta = provider.models.find((m) => m.id === ref.model) ?? (provider.configured && provider.models.length > 0 ? undefined : CATALOG_MODELS[provider.id]?.find((m) => m.id === ref.model))
  const meta: ModelMeta = listedMeta ?? unlistedModelMeta(provider, ref.model)
  const modelEntry = config.agents.defaults.models[ref.ref]
  const model: ResolvedModel = {
    ref: ref.ref,
    provider: provider.id,
    model: ref.model,
    api: provider.api,
    baseUrl: provider.baseUrl,
    headers: {...provider.headers},
    contextWindow: meta.contextWindow,
    maxTokens: meta.maxTokens,
    input: [...meta.input],
    reasoning: meta.reasoning,
    idleTimeoutMs: provider.timeoutSeconds !== undefined ? provider.timeoutSeconds * 1000 : provider.localPreset ? LOCAL_IDLE_TIMEOUT_MS : IDLE_TIMEOUT_MS,
    compat: resolveCompat({providerId: provider.id, baseUrl: provider.baseUrl, local: provider.localPreset, provider: provider.compat, model: meta.compat}),
    params: {...provider.params, ...meta.params, ...(modelEntry?.params ?? {})},
    local: provider.local,
  }
  const order = config.auth.order[provider.id] ?? []
  const keys = collectProviderKeys({configKey: provider.apiKey, profileKeys: readAuthProfileKeys(options.agentDir, provider.id, order), envPrefixes: provider.envPrefixes, env: options.env})
  return {model, keys, keyRequired: !provider.local, keyEnvVar: `${provider.envPrefixes[0]}_API_KEY`, listed: listedMeta !== undefined}
}

/** MODEL_API_KEY_MISSING for a candidate that needs a key and has none. */
export function missingKeyError(candidate: ModelCandidate): AppError {
  const {provider, ref} = candidate.model
  return new AppError('MODEL_API_KEY_MISSING', `No API key for model provider "${provider}" (model ${ref}): set ${candidate.keyEnvVar}`, {
    hint: [`export ${candidate.keyEnvVar}=<your key>  (or put it in ~/.openclaw/.env)`, `openclaw config set models.providers.${provider}.apiKey '\${${candidate.keyEnvVar}}'`, 'Check: openclaw models status'],
    details: {provider, ref, envVar: candidate.keyEnvVar},
  })
}

export interface RunModels {
  /** Primary first, then fallbacks (deduplicated); one entry when the selection is strict. */
  candidates: ModelCandidate[]
  /** A `/model` user override: no fallbacks. */
  strict: boolean
  /** Fallbacks that were skipped (unresolvable ref, unknown provider), one line each. */
  warnings: string[]
}

/**
 * The models a turn may use (runtime.md §8.3–8.4), resolved before anything is committed: the
 * session override (strict) else the agent's selection. The primary must resolve and, unless it
 * is a local server, have a key; a broken fallback is skipped with a warning.
 */
export function resolveRunModels(config: Readonly<Config>, input: {agentId: string; override?: string} & ResolveOptions): RunModels {
  const providers = listProviders(config)
  const selection = input.override !== undefined ? {primary: input.override, fallbacks: []} : agentModelSelection(config, input.agentId)
  if (selection.primary === undefined) {
    throw new AppError('MODEL_REF_INVALID', `No model is configured for agent "${input.agentId}"`, {
      hint: ['Pick one: openclaw config set agents.defaults.model <provider/model>', 'See the models you can use: openclaw models list --all'],
      details: {agentId: input.agentId},
    })
  }
  const primary = resolveModelCandidate(config, selection.primary, input, providers)
  if (primary.keyRequired && primary.keys.length === 0) throw missingKeyError(primary)
  const candidates = [primary]
  const warnings: string[] = []
  for (const raw of selection.fallbacks) {
    try {
      const candidate = resolveModelCandidate(config, raw, input, providers)
      if (!candidates.some((c) => c.model.ref === candidate.model.ref)) candidates.push(candidate)
    } catch (error) {
      warnings.push(`fallback model "${raw}" skipped: ${(error as Error).message}`)
    }
  }
  return {candidates, strict: input.override !== undefined, warnings}
}
