import {anthropicMessagesProvider} from './anthropic-messages.js'
import {openAiCompletionsProvider} from './openai-completions.js'
import type {ModelProvider, ResolvedModel} from './provider.js'

/** The adapter for a model's wire API. */
export function providerFor(api: ResolvedModel['api']): ModelProvider {
  return api === 'anthropic-messages' ? anthropicMessagesProvider : openAiCompletionsProvider
}
