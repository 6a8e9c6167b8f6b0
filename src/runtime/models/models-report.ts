import type {Config} from '../config/schema/index.js'
import {listProviders} from './catalog.js'
import {agentModelSelection, modelAliases, parseModelRef} from './model-ref.js'
import {CATALOG_MODELS} from './presets.js'
import {resolveModelCandidate, type ModelCandidate} from './resolve-model.js'

export type ModelTag = 'default' | 'fallback' | 'configured' | 'catalog'

/** One row of `models list` (operations.md §2.5). */
export interface ModelListRow {
  ref: string
  name: string
  provider: string
  api: string
  alias?: string
  contextWindow: number
  input: Array<'text' | 'image'>
  reasoning: boolean
  tags: ModelTag[]
  auth: 'ok' | 'missing'
}

export interface ModelsListOptions {
  env: Readonly<Record<string, string | undefined>>
  /** The default agent's id and dir: its selection is tagged default/fallback, its auth profiles count. */
  agentId: string
  agentDir?: string
  /** Include the built-in catalog of every preset. */
  all?: boolean
  provider?: string
}

/**
 * `models list`: the default agent's chain, every agent's model, `agents.defaults.models`, the
 * models listed under `models.providers` and (with `all`) the built-in catalog. Local only.
 */
export function listModels(config: Readonly<Config>, options: ModelsListOptions): {models: ModelListRow[]} {
  const providers = listProviders(config)
  const rows = new Map<string, ModelListRow>()
  const aliases = new Map([...modelAliases(config)].map(([alias, ref]) => [parseModelRef(ref)?.ref ?? ref, alias]))
  const add = (raw: string, tag: ModelTag) => {
    let candidate: ModelCandidate
    try {
      candidate = resolveModelCandidate(config, raw, {env: options.env, agentDir: options.agentDir}, providers)
    } catch {
      return
    }
    const {model} = candidate
    const existing = rows.get(model.ref)
    if (existing !== undefined) {
      if (!existing.tags.includes(tag)) existing.tags.push(tag)
      return
    }
    const meta = providers.get(model.provider)?.models.find((m) => m.id === model.model) ?? CATALOG_MODELS[model.provider]?.find((m) => m.id === model.model)
    rows.set(model.ref, {
      ref: model.ref,
      name: meta?.name ?? model.model,
      provider: model.provider,
      api: model.api,
      ...(aliases.has(model.ref) ? {alias: aliases.get(model.ref)} : {}),
      contextWindow: model.contextWindow,
      input: [...model.input],
      reasoning: model.reasoning,
      tags: [tag],
      auth: candidate.keys.length > 0 || !candidate.keyRequired ? 'ok' : 'missing',
    })
  }
  const chain = agentModelSelection(config, options.agentId)
  if (chain.primary !== undefined) add(chain.primary, 'default')
  for (const ref of chain.fallbacks) add(ref, 'fallback')
  for (const agent of config.agents.list) {
    const selection = agentModelSelection(config, agent.id)
    for (const ref of [selection.primary, ...selection.fallbacks]) if (ref !== undefined) add(ref, 'configured')
  }
  for (const ref of Object.keys(config.agents.defaults.models)) add(ref, 'configured')
  for (const provider of providers.values()) for (const m of provider.models) add(`${provider.id}/${m.id}`, 'configured')
  if (options.all === true) {
    for (const provider of providers.values()) {
      if (provider.configured && provider.models.length > 0) continue
      for (const m of CATALOG_MODELS[provider.id] ?? []) add(`${provider.id}/${m.id}`, 'catalog')
    }
  }
  const wanted = options.provider?.toLowerCase()
  return {models: [...rows.values()].filter((row) => wanted === undefined || row.provider === wanted)}
}
