import {PassThrough} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {runChatLoop, type ChatTurn} from '../../../src/ui/chat-loop.js'

function collect(stream: PassThrough): () => string {
  let text = ''
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  return () => text
}

function harness(turn: ChatTurn, signal = new AbortController().signal) {
  const input = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out = collect(stdout)
  const err = collect(stderr)
  const done = runChatLoop({input, stdout, stderr, signal, turn})
  return {input, done, out, err}
}

describe('runChatLoop (piped input)', () => {
  it('answers lines one at a time, in order, skipping blank lines, until /exit', async () => {
    const seen: string[] = []
    let running = 0
    const h = harness(async (message, observer) => {
      running++
      expect(running).toBe(1)
      seen.push(message)
      await new Promise((r) => setTimeout(r, 5))
      observer({kind: 'text', text: `re ${message}`, delta: `re ${message}`, replace: false})
      running--
      return {text: `re ${message}`, status: 'ok', summary: 'completed'}
    })
    h.input.end('a\n  \n/new\nb\n/exit\nc\n')
    expect(await h.done).toEqual({turns: 3, failed: 0})
    expect(seen).toEqual(['a', '/new', 'b'])
    expect(h.out()).toBe('re a\nre /new\nre b\n')
  })

  it('prints a reply that did not stream whole, and an error without stopping the conversation', async () => {
    const h = harness(async (message) => {
      if (message === 'bad') throw new AppError('AGENT_NOT_FOUND', 'Unknown agent "x".')
      return {text: 'whole', status: 'ok', summary: 'completed'}
    })
    h.input.end('bad\ngood\n')
    expect(await h.done).toEqual({turns: 2, failed: 1})
    expect(h.out()).toBe('whole\n')
    expect(h.err()).toContain('Unknown agent "x".')
  })

  it('the process signal aborts the running turn and ends the loop', async () => {
    const controller = new AbortController()
    let turnSignal: AbortSignal | undefined
    const h = harness(async (_message, _observer, signal) => {
      turnSignal = signal
      controller.abort()
      await new Promise((r) => setTimeout(r, 5))
      return {text: '', status: 'aborted', summary: 'aborted'}
    }, controller.signal)
    h.input.write('one\ntwo\n')
    expect(await h.done).toEqual({turns: 1, failed: 0})
    expect(turnSignal?.aborted).toBe(true)
    expect(h.err()).toContain('Aborted')
  })
})
