import {z} from 'zod'

import {anyKey, checkedNumber, doc, httpUrl, int, params, secret, strictObject, text} from './primitives.js'

/**
 * Provider ids with built-in presets (runtime.md §8.3): an entry with one of these ids overrides
 * the preset field by field, so it needs no `baseUrl`; any other id does.
 */
export const BUILTIN_PROVIDER_IDS = ['openai', 'anthropic', 'openrouter', 'moonshot', 'minimax', 'groq', 'ollama', 'lmstudio', 'vllm', 'llamacpp'] as const

export const MODEL_APIS = ['openai-completions', 'openai-responses', 'anthropic-messages', 'ollama'] as const

function compatSchema() {
  return strictObject({
    developerRole: doc(z.optional(z.boolean()), 'Send the system prompt with role developer (default: only for api.openai.com).'),
    maxTokensField: doc(z.optional(z.enum(['max_completion_tokens', 'max_tokens'])), 'Request field for the output limit (default max_completion_tokens for openai, else max_tokens).'),
    streamUsage: doc(z.optional(z.boolean()), 'Send stream_options.include_usage (default true).'),
    streamToolCalls: doc(z.optional(z.boolean()), 'Stream requests that carry tools (default true; false sends them with stream: false).'),
    recoverTextToolCalls: doc(z.optional(z.boolean()), 'Treat a reply that is only a JSON tool call as that call (default true for local presets).'),
    echoReasoning: doc(z.optional(z.boolean()), 'Send reasoning_content back on assistant turns with tool calls (default true for moonshot).'),
  })
}

function costSchema() {
  return strictObject({
    input: doc(z._default(checkedNumber(z.gte(0)), 0), 'USD per 1M input tokens.'),
    output: doc(z._default(checkedNumber(z.gte(0)), 0), 'USD per 1M output tokens.'),
    cacheRead: doc(z._default(checkedNumber(z.gte(0)), 0), 'USD per 1M cache-read tokens.'),
    cacheWrite: doc(z._default(checkedNumber(z.gte(0)), 0), 'USD per 1M cache-write tokens.'),
  })
}

function modelSchema() {
  return strictObject({
    id: doc(text(), 'Model id as the provider names it.'),
    name: doc(text(), 'Display name.'),
    reasoning: doc(z._default(z.boolean(), false), 'The model supports reasoning / thinking.'),
    input: doc(z._default(z.array(z.enum(['text', 'image'])), ['text']), 'Accepted inputs; add "image" for vision models.'),
    contextWindow: doc(z._default(int(1), 200_000), 'Context window in tokens.'),
    maxTokens: doc(z._default(int(1), 8192), 'Max output tokens per reply.'),
    cost: doc(z.optional(costSchema()), 'Prices in USD per 1M tokens (default 0).'),
    compat: doc(z.optional(compatSchema()), 'Compatibility flags for this model (win over the provider).'),
    params: doc(z.optional(params()), 'Request parameters for this model (values unchecked).'),
  })
}

function providerSchema() {
  return strictObject({
    baseUrl: doc(z.optional(httpUrl()), 'API base URL; required unless the id is a built-in preset.'),
    apiKey: doc(z.optional(secret()), 'API key; ${VAR} recommended; optional for local servers.'),
    api: doc(z.optional(z.enum(MODEL_APIS)), 'Wire API (default openai-completions, or the preset api).'),
    headers: doc(z.optional(z.record(anyKey(), z.string())), 'Extra HTTP headers sent with every request.'),
    timeoutSeconds: doc(z.optional(int(1)), 'Stream idle timeout in seconds.'),
    compat: doc(z.optional(compatSchema()), 'Compatibility flags (runtime.md §8.3).'),
    params: doc(z.optional(params()), 'Request parameters for every model of this provider (values unchecked).'),
    models: doc(z.optional(z.array(z.lazy(modelSchema))), 'Models of this provider with their metadata.'),
  })
}

/** `models` (config.md §7.5). */
export const ModelsSchema = strictObject({
  mode: doc(z._default(z.enum(['merge', 'replace']), 'merge'), 'merge: configured providers merge into the built-in presets; replace: only configured providers exist.'),
  providers: doc(z._default(z.record(anyKey(), z.lazy(providerSchema)), {}), 'Model providers by id.'),
})
