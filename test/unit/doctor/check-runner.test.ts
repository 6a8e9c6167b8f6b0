import {describe, expect, it} from 'vitest'

import {runChecks, summarize, type Check} from '../../../src/runtime/doctor/check.js'
import {nodeVersionOk} from '../../../src/runtime/doctor/checks/runtime-node.js'
import {tightenedMode} from '../../../src/runtime/doctor/checks/state-permissions.js'

/** A check over a counter: broken while `state.value` is below 1; its fix sets it. */
function counterCheck(id: string, safe: boolean): Check<{value: number}> {
  return {
    id,
    title: id,
    lint: true,
    inspect: (ctx) =>
      ctx.value >= 1
        ? {status: 'pass', message: 'ok'}
        : {status: 'warn', message: 'broken', fix: {summary: 'set it', safe}, repair: () => ((ctx.value = 1), {actions: ['set'], files: []})},
  }
}

describe('runChecks', () => {
  const cases: Array<[string, boolean, {fix: boolean; yes: boolean}, string, number]> = [
    ['diagnose never repairs', true, {fix: false, yes: false}, 'warn', 0],
    ['--fix repairs a safe fix and re-inspects', true, {fix: true, yes: false}, 'pass', 1],
    ['--fix leaves a lossy fix alone', false, {fix: true, yes: false}, 'warn', 0],
    ['--yes applies a lossy fix', false, {fix: true, yes: true}, 'pass', 1],
  ]
  it.each(cases)('%s', async (_name, safe, options, status, value) => {
    const ctx = {value: 0}
    const results = await runChecks([counterCheck('c', safe)], ctx, options)
    expect(results[0].status).toBe(status)
    expect(ctx.value).toBe(value)
    expect(summarize(results).fixed).toBe(value)
  })

  it.each([
    {name: 'a yes approves only the lossy fix asked about', safe: false, fix: true, answer: true, asked: ['c'], value: 1},
    {name: 'a no leaves it', safe: false, fix: true, answer: false, asked: ['c'], value: 0},
    {name: 'a safe fix is never asked', safe: true, fix: true, answer: false, asked: [], value: 1},
    {name: 'without --fix nothing is asked', safe: false, fix: false, answer: true, asked: [], value: 0},
  ])('prompted consent: $name', async ({safe, fix, answer, asked, value}) => {
    const ctx = {value: 0}
    const questions: string[] = []
    const approve = async (q: {id: string; fix: {summary: string}}) => {
      questions.push(q.id)
      expect(q.fix.summary).toBe('set it')
      return answer
    }
    await runChecks([counterCheck('c', safe)], ctx, {fix, yes: false, approve})
    expect(questions).toEqual(asked)
    expect(ctx.value).toBe(value)
  })

  it('honours --only and --skip', async () => {
    const checks = [counterCheck('a', true), counterCheck('b', true)]
    expect((await runChecks(checks, {value: 1}, {fix: false, yes: false, only: ['b']})).map((r) => r.id)).toEqual(['b'])
    expect((await runChecks(checks, {value: 1}, {fix: false, yes: false, skip: ['b']})).map((r) => r.id)).toEqual(['a'])
  })
})

describe('modes and versions', () => {
  it.each([
    [0o644, 0o600],
    [0o755, 0o700],
    [0o600, 0o600],
    [0o400, 0o400],
    [0o2775, 0o2700],
  ])('tightenedMode(%o) = %o (never loosened)', (input, expected) => {
    expect(tightenedMode(input)).toBe(expected)
  })
  it.each([
    ['v20.5.0', true],
    ['v20.4.9', false],
    ['v22.11.0', true],
    ['v18.20.0', false],
  ])('nodeVersionOk(%s) = %s', (v, ok) => expect(nodeVersionOk(v)).toBe(ok))
})
