import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'
import type {ConversationMessage} from '../../../src/runtime/models/messages.js'
import type {ResolvedModel} from '../../../src/runtime/models/provider.js'
import {resolveModelCandidate, type ModelCandidate} from '../../../src/runtime/models/resolve-model.js'
import type {FakeModel} from '../../fakes/model-server/index.js'

export type Api = 'openai-completions' | 'anthropic-messages'

/** A `models.mode: replace` config with one provider `fake` pointing at the fake server. */
export function fakeConfig(fake: FakeModel, api: Api, provider: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const baseUrl = api === 'openai-completions' ? fake.openaiBaseUrl : fake.anthropicBaseUrl
  return ConfigSchema.parse({models: {mode: 'replace', providers: {fake: {baseUrl, api, apiKey: 'test', ...provider}}}, ...extra})
}

export function fakeCandidate(fake: FakeModel, api: Api, options: {model?: string; provider?: Record<string, unknown>; env?: Record<string, string>} = {}): ModelCandidate {
  return resolveModelCandidate(fakeConfig(fake, api, options.provider), `fake/${options.model ?? 'm1'}`, {env: options.env ?? {}})
}

export function fakeModel(fake: FakeModel, api: Api, provider: Record<string, unknown> = {}): ResolvedModel {
  return fakeCandidate(fake, api, {provider}).model
}

export const userSays = (text: string): ConversationMessage => ({role: 'user', content: [{type: 'text', text}], timestamp: 1})

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}
