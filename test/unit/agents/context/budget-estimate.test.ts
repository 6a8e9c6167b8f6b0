import {describe, expect, it} from 'vitest'

import {contextBudget} from '../../../../src/runtime/agents/context/budget.js'
import {correctionRatio, fixedChars, IMAGE_CHARS, messageChars, ratioFromHistory, reportedInput, requestTokens, tokensOf} from '../../../../src/runtime/agents/context/estimate.js'
import {assistant, call, image, result, user} from './fixtures.js'

describe('contextBudget (runtime.md §8.6)', () => {
  const defaults = {reserveTokens: 16_384, keepRecentTokens: 20_000}
  it.each([
    ['a large window reserves reserveTokens', {contextWindow: 200_000, maxTokens: 8192}, defaults, {reserve: 16_384, budget: 183_616, keepRecent: 20_000}],
    ['maxTokens above reserveTokens wins', {contextWindow: 200_000, maxTokens: 64_000}, defaults, {reserve: 64_000, budget: 136_000, keepRecent: 20_000}],
    ['the reserve is capped at half the window', {contextWindow: 20_000, maxTokens: 8192}, defaults, {reserve: 10_000, budget: 10_000, keepRecent: 4000}],
    ['keepRecent is at most 40% of the budget', {contextWindow: 32_768, maxTokens: 4096}, defaults, {reserve: 16_384, budget: 16_384, keepRecent: 6553}],
    ['a small keepRecentTokens is kept', {contextWindow: 128_000, maxTokens: 8192}, {reserveTokens: 1000, keepRecentTokens: 500}, {reserve: 8192, budget: 119_808, keepRecent: 500}],
  ])('%s', (_name, model, settings, expected) => {
    expect(contextBudget(model, settings)).toEqual({contextWindow: model.contextWindow, ...expected})
  })
})

describe('estimate: chars / 4 with the provider correction', () => {
  it.each([
    ['text', user('x'.repeat(40)), 40],
    ['an image counts as a fixed size, not its base64', image('hi'), IMAGE_CHARS + 2],
    ['a tool call counts its name and JSON arguments', call('c1'), 'read'.length + JSON.stringify({path: 'a.txt'}).length],
    ['a tool result counts its text', result('c1', 'y'.repeat(100)), 100],
  ])('messageChars: %s', (_name, message, chars) => {
    expect(messageChars(message)).toBe(chars)
  })

  it.each([
    ['no report -> 1', 0, 100, 1],
    ['exact -> 1', 100, 100, 1],
    ['provider counts more -> ratio', 150, 100, 1.5],
    ['clamped at 2', 1000, 100, 2],
    ['clamped at 0.5', 10, 100, 0.5],
  ])('correctionRatio: %s', (_name, reported, estimated, ratio) => {
    expect(correctionRatio(reported, estimated)).toBe(ratio)
  })

  it('tokens round up and scale by the ratio; the fixed part counts system prompt and tools', () => {
    expect([tokensOf(9), tokensOf(8, 1.5)]).toEqual([3, 3])
    expect(fixedChars('abcd', [{name: 'ls', description: 'list', parameters: {}}])).toBe(4 + 2 + 4 + 2)
    expect(requestTokens([user('x'.repeat(40))], 40, 2)).toBe(40)
    expect(reportedInput({input: 10, output: 5, cacheRead: 20, cacheWrite: 3, totalTokens: 38})).toBe(33)
  })

  it('ratioFromHistory: the last answered request, measured against the messages before it', () => {
    // Request 1 = system (40 chars) + user 360 chars = 100 tokens estimated; the provider said 150.
    const history = [user('x'.repeat(360)), assistant('ok', 150), user('next')]
    expect(ratioFromHistory(history, 40)).toBe(1.5)
    expect(ratioFromHistory([user('a')], 40)).toBe(1)
    // An errored answer carries no usable report: the earlier one counts.
    expect(ratioFromHistory([...history, {...assistant('', 999), stopReason: 'error'}], 40)).toBe(1.5)
  })
})
