import {describe, expect, it} from 'vitest'

import {modelsTakeImages} from '../../../src/runtime/channels/image-input.js'
import {ConfigSchema} from '../../../src/runtime/config/schema/index.js'

const config = (agentModel: unknown) => ConfigSchema.parse({
  models: {mode: 'replace', providers: {p: {baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', models: [{id: 'eyes', name: 'E', input: ['text', 'image']}, {id: 'blind', name: 'B', input: ['text']}]}}},
  agents: {defaults: {model: 'p/blind'}, list: [{id: 'main', default: true}, {id: 'a', model: agentModel}]},
})

describe('modelsTakeImages (download a photo only for a model that can see it)', () => {
  it.each([
    ['a text-only primary without fallbacks', 'p/blind', undefined, false],
    ['an image primary', 'p/eyes', undefined, true],
    ['a text-only primary with an image fallback', {primary: 'p/blind', fallbacks: ['p/eyes']}, undefined, true],
    ['a text-only primary with a text-only fallback', {primary: 'p/blind', fallbacks: ['p/blind']}, undefined, false],
    ['a session /model override to an image model', 'p/blind', 'p/eyes', true],
    ['a session /model override to a text-only model', 'p/eyes', 'p/blind', false],
    ['an unlisted model (providers treat it as text-only)', 'p/other', undefined, false],
    ['an unresolvable primary (the run reports it; the photo is kept)', 'nope/x', undefined, true],
  ])('%s', (_name, model, override, expected) => {
    expect(modelsTakeImages(config(model), 'a', override)).toBe(expected)
  })
})
