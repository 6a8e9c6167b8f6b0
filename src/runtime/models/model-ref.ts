import type {Config} from '../config/schema/index.js'
import {AppError} from '../errors/app-error.js'

export interface ModelRef {
  /** Canonical `provider/model` (provider lower-cased). */
  ref: string
  provider: string
  model: string
  /** The alias it was written as, if any. */
  alias?: string
}

/** Splits `provider/model` at the first `/`; undefined when there is no `/` or a side is empty. */
export function parseModelRef(raw: string): ModelRef | undefined {
  const text = raw.trim()
  const slash = text.indexOf('/')
  if (slash <= 0 || slash === text.length - 1) return undefined
  const provider = text.slice(0, slash).toLowerCase()
  const model = text.slice(slash + 1)
  return {ref: `${provider}/${model}`, provider, model}
}

/** Alias -> ref from `agents.defaults.models` (aliases compare case-insensitively). */
export function modelAliases(config: Readonly<Config>): Map<string, string> {
  const aliases = new Map<string, string>()
  for (const [ref, entry] of Object.entries(config.agents.defaults.models)) {
    if (entry.alias !== undefined) aliases.set(entry.alias.toLowerCase(), ref)
  }
  return aliases
}

/**
 * A ref or an alias -> `provider/model` (runtime.md §8.3). An alias wins over a ref-shaped
 * string only when the text has no `/`; a bare word that is no alias is an error (no implicit
 * provider).
 */
export function resolveModelRef(config: Readonly<Config>, raw: string): ModelRef {
  const text = raw.trim()
  const aliased = modelAliases(config).get(text.toLowerCase())
  if (aliased !== undefined && !text.includes('/')) {
    const parsed = parseModelRef(aliased)
    if (parsed !== undefined) return {...parsed, alias: text}
  }
  const parsed = parseModelRef(text)
  if (parsed !== undefined) return parsed
  throw new AppError('MODEL_REF_INVALID', `Unknown model "${text}": a model ref is provider/model, or an alias from agents.defaults.models`, {
    hint: ['See the models you can use: openclaw models list', `Add an alias: openclaw config set 'agents.defaults.models["<provider/model>"].alias' ${text}`],
    details: {ref: text},
  })
}

/**
 * The agent's model selection: `agents.list[].model`, else `agents.defaults.model`. A per-agent
 * selection replaces the default one whole: a string means that model and no fallbacks (what
 * `agents list` shows is what runs).
 */
export function agentModelSelection(config: Readonly<Config>, agentId: string): {primary?: string; fallbacks: string[]} {
  const defaults = config.agents.defaults.model
  const base = defaults === undefined ? {fallbacks: []} : typeof defaults === 'string' ? {primary: defaults, fallbacks: []} : {primary: defaults.primary, fallbacks: [...defaults.fallbacks]}
  const own = config.agents.list.find((a) => a.id === agentId)?.model
  if (own === undefined) return base
  if (typeof own === 'string') return {primary: own, fallbacks: []}
  return {primary: own.primary, fallbacks: [...own.fallbacks]}
}
