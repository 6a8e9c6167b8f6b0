import type {Config} from '../config/schema/index.js'
import {isLocalBaseUrl, type CompatOverrides} from './compat.js'
import {envPrefixFor, PROVIDER_PRESETS, type ProviderApi, type ProviderPreset} from './presets.js'

/** Metadata of one listed model (config `models.providers.<id>.models[]` or the built-in catalog). */
export interface ModelMeta {
  id: string
  name: string
  contextWindow: number
  maxTokens: number
  input: Array<'text' | 'image'>
  reasoning: boolean
  compat?: CompatOverrides
  params?: Record<string, unknown>
}

/** A provider after presets and config are merged (runtime.md §8.3). */
export interface ProviderEntry {
  id: string
  /** The wire API used. */
  api: ProviderApi
  /** The api as configured (`openai-responses` and `ollama` are served through chat completions). */
  configuredApi: string
  baseUrl: string
  apiKey?: string
  headers: Record<string, string>
  timeoutSeconds?: number
  compat?: CompatOverrides
  params: Record<string, unknown>
  models: ModelMeta[]
  preset?: ProviderPreset
  /** Configured under `models.providers` (as opposed to a bare preset). */
  configured: boolean
  /** A loopback or private-network server: the key is optional. */
  local: boolean
  /** A local preset (ollama, lmstudio, vllm, llamacpp): smaller defaults, longer idle timeout, text tool-call recovery. */
  localPreset: boolean
  envPrefixes: string[]
  /** Load warnings (an api served through another one). */
  warnings: string[]
}

type ProviderConfig = Config['models']['providers'][string]

/** Every provider the config makes available: presets (unless `mode: replace`) merged with `models.providers`. */
export function listProviders(config: Readonly<Config>): Map<string, ProviderEntry> {
  const out = new Map<string, ProviderEntry>()
  const configured = config.models.providers
  if (config.models.mode !== 'replace') {
    for (const preset of Object.values(PROVIDER_PRESETS)) {
      if (configured[preset.id] === undefined) out.set(preset.id, providerEntry(preset.id, undefined, preset))
    }
  }
  for (const [rawId, entry] of Object.entries(configured)) {
    const id = rawId.toLowerCase()
    const preset = config.models.mode === 'replace' ? undefined : PROVIDER_PRESETS[id]
    out.set(id, providerEntry(id, entry, preset ?? PROVIDER_PRESETS[id]))
  }
  return out
}

function providerEntry(id: string, entry: ProviderConfig | undefined, preset: ProviderPreset | undefined): ProviderEntry {
  const warnings: string[] = []
  const configuredApi = entry?.api ?? preset?.api ?? 'openai-completions'
  let baseUrl = (entry?.baseUrl ?? preset?.baseUrl ?? '').replace(/\/+$/, '')
  let api: ProviderApi = configuredApi === 'anthropic-messages' ? 'anthropic-messages' : 'openai-completions'
  if (configuredApi === 'openai-responses') warnings.push(`models.providers.${id}.api "openai-responses" is served through chat completions`)
  if (configuredApi === 'ollama' && !/\/v1$/.test(baseUrl)) baseUrl = `${baseUrl}/v1`
  if (configuredApi === 'ollama') api = 'openai-completions'
  const local = preset?.local === true || isLocalBaseUrl(baseUrl)
  return {
    id,
    api,
    configuredApi,
    baseUrl,
    apiKey: entry?.apiKey === undefined || entry.apiKey === '' ? undefined : entry.apiKey,
    headers: {...(entry?.headers ?? {})},
    timeoutSeconds: entry?.timeoutSeconds,
    compat: entry?.compat,
    params: {...(entry?.params ?? {})},
    models: (entry?.models ?? []).map((m) => ({id: m.id, name: m.name, contextWindow: m.contextWindow, maxTokens: m.maxTokens, input: [...m.input], reasoning: m.reasoning, compat: m.compat, params: m.params})),
    preset,
    configured: entry !== undefined,
    local,
    localPreset: preset?.local === true,
    envPrefixes: preset?.envPrefixes ?? [envPrefixFor(id)],
    warnings,
  }
}

/** Defaults for a model the provider does not list (runtime.md §8.3). */
export function unlistedModelMeta(provider: ProviderEntry, modelId: string): ModelMeta {
  const local = provider.preset?.local === true
  return {
    id: modelId,
    name: modelId,
    contextWindow: provider.api === 'anthropic-messages' ? 200_000 : local ? 32_768 : 128_000,
    maxTokens: local ? 4096 : 8192,
    input: ['text'],
    reasoning: false,
  }
}
