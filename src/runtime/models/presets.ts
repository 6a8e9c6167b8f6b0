/**
 * Built-in provider presets (runtime.md §8.3). `models.providers.<id>` merges over these field by
 * field; `models.mode: "replace"` drops them. Local presets use 127.0.0.1 rather than localhost
 * because Node may resolve localhost to ::1, where these servers often do not listen.
 */
export type ProviderApi = 'openai-completions' | 'anthropic-messages'

export interface ProviderPreset {
  id: string
  api: ProviderApi
  baseUrl: string
  /** `<P>` of `<P>_API_KEY(S)`, in lookup order. */
  envPrefixes: string[]
  /** A local server: a key is optional, defaults are smaller, idle timeout longer. */
  local: boolean
  /** Display name for `models list`. */
  name: string
}

export const PROVIDER_PRESETS: Readonly<Record<string, ProviderPreset>> = Object.freeze({
  openai: {id: 'openai', api: 'openai-completions', baseUrl: 'https://api.openai.com/v1', envPrefixes: ['OPENAI'], local: false, name: 'OpenAI'},
  anthropic: {id: 'anthropic', api: 'anthropic-messages', baseUrl: 'https://api.anthropic.com', envPrefixes: ['ANTHROPIC'], local: false, name: 'Anthropic'},
  openrouter: {id: 'openrouter', api: 'openai-completions', baseUrl: 'https://openrouter.ai/api/v1', envPrefixes: ['OPENROUTER'], local: false, name: 'OpenRouter'},
  moonshot: {id: 'moonshot', api: 'openai-completions', baseUrl: 'https://api.moonshot.ai/v1', envPrefixes: ['MOONSHOT', 'KIMI'], local: false, name: 'Moonshot (Kimi)'},
  minimax: {id: 'minimax', api: 'openai-completions', baseUrl: 'https://api.minimax.io/v1', envPrefixes: ['MINIMAX'], local: false, name: 'MiniMax'},
  groq: {id: 'groq', api: 'openai-completions', baseUrl: 'https://api.groq.com/openai/v1', envPrefixes: ['GROQ'], local: false, name: 'Groq'},
  ollama: {id: 'ollama', api: 'openai-completions', baseUrl: 'http://127.0.0.1:11434/v1', envPrefixes: ['OLLAMA'], local: true, name: 'Ollama'},
  lmstudio: {id: 'lmstudio', api: 'openai-completions', baseUrl: 'http://127.0.0.1:1234/v1', envPrefixes: ['LMSTUDIO'], local: true, name: 'LM Studio'},
  vllm: {id: 'vllm', api: 'openai-completions', baseUrl: 'http://127.0.0.1:8000/v1', envPrefixes: ['VLLM'], local: true, name: 'vLLM'},
  llamacpp: {id: 'llamacpp', api: 'openai-completions', baseUrl: 'http://127.0.0.1:8080/v1', envPrefixes: ['LLAMACPP'], local: true, name: 'llama.cpp'},
})

/**
 * A small catalog of well-known models per cloud preset, shown by `models list --all`. Any model
 * id works for a known provider; these only add metadata.
 */
export const CATALOG_MODELS: Readonly<Record<string, ReadonlyArray<{id: string; name: string; contextWindow: number; maxTokens: number; input: Array<'text' | 'image'>; reasoning: boolean}>>> = Object.freeze({
  openai: [
    {id: 'gpt-4.1', name: 'GPT-4.1', contextWindow: 1_047_576, maxTokens: 32_768, input: ['text', 'image'], reasoning: false},
    {id: 'gpt-4.1-mini', name: 'GPT-4.1 mini', contextWindow: 1_047_576, maxTokens: 32_768, input: ['text', 'image'], reasoning: false},
    {id: 'gpt-5', name: 'GPT-5', contextWindow: 400_000, maxTokens: 128_000, input: ['text', 'image'], reasoning: true},
  ],
  anthropic: [
    {id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5', contextWindow: 200_000, maxTokens: 64_000, input: ['text', 'image'], reasoning: true},
    {id: 'claude-opus-4-1', name: 'Claude Opus 4.1', contextWindow: 200_000, maxTokens: 32_000, input: ['text', 'image'], reasoning: true},
    {id: 'claude-haiku-4-5', name: 'Claude Haiku 4.5', contextWindow: 200_000, maxTokens: 64_000, input: ['text', 'image'], reasoning: true},
  ],
  openrouter: [
    {id: 'moonshotai/kimi-k2', name: 'Kimi K2 (OpenRouter)', contextWindow: 131_072, maxTokens: 16_384, input: ['text'], reasoning: false},
    {id: 'anthropic/claude-sonnet-4', name: 'Claude Sonnet 4 (OpenRouter)', contextWindow: 200_000, maxTokens: 64_000, input: ['text', 'image'], reasoning: true},
  ],
  moonshot: [{id: 'kimi-k2-0905-preview', name: 'Kimi K2', contextWindow: 262_144, maxTokens: 16_384, input: ['text'], reasoning: false}],
  minimax: [{id: 'MiniMax-M2', name: 'MiniMax M2', contextWindow: 204_800, maxTokens: 16_384, input: ['text'], reasoning: true}],
  groq: [{id: 'llama-3.3-70b-versatile', name: 'Llama 3.3 70B (Groq)', contextWindow: 131_072, maxTokens: 32_768, input: ['text'], reasoning: false}],
})

/** `<P>` for a provider id without a preset: upper-cased, `-` and `.` become `_`. */
export function envPrefixFor(providerId: string): string {
  return providerId.toUpperCase().replace(/[^A-Z0-9]/g, '_')
}
