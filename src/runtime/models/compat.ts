/**
 * Compatibility flags (runtime.md §8.3): per-provider wire quirks with defaults derived from the
 * provider, overridable on the provider and then on the model (the model wins).
 */
export interface ModelCompat {
  /** Send the system prompt with role `developer` (only api.openai.com understands it). */
  developerRole: boolean
  maxTokensField: 'max_completion_tokens' | 'max_tokens'
  /** Ask for the usage chunk: `stream_options: {include_usage: true}`. */
  streamUsage: boolean
  /** false: requests carrying tools go out with `stream: false` and the reply is replayed. */
  streamToolCalls: boolean
  /** A reply that is only a JSON tool call counts as that call (small local models do this). */
  recoverTextToolCalls: boolean
  /** Send `reasoning_content` back on assistant turns with tool calls (Moonshot requires it). */
  echoReasoning: boolean
}

export type CompatOverrides = Partial<ModelCompat>

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return ''
  }
}

/** The flags for one model: defaults from the provider, then provider `compat`, then model `compat`. */
export function resolveCompat(input: {providerId: string; baseUrl: string; local: boolean; provider?: CompatOverrides; model?: CompatOverrides}): ModelCompat {
  const host = hostOf(input.baseUrl)
  const defaults: ModelCompat = {
    developerRole: host === 'api.openai.com',
    maxTokensField: input.providerId === 'openai' || host === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens',
    streamUsage: true,
    streamToolCalls: true,
    recoverTextToolCalls: input.local,
    echoReasoning: input.providerId === 'moonshot' || host.endsWith('moonshot.ai') || host.endsWith('moonshot.cn'),
  }
  return {...defaults, ...definedOnly(input.provider), ...definedOnly(input.model)}
}

function definedOnly(overrides: CompatOverrides | undefined): CompatOverrides {
  if (overrides === undefined) return {}
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as CompatOverrides
}

/** A loopback or private-network base URL: a local model server, where keys are optional. */
export function isLocalBaseUrl(url: string): boolean {
  const host = hostOf(url).replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host === '::1' || host.endsWith('.local')) return true
  const octets = host.split('.').map(Number)
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o))) return false
  const [a, b] = octets
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31)
}
