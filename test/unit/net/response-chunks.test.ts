import type {IncomingMessage} from 'node:http'
import {PassThrough} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {ResponseChunks} from '../../../src/runtime/net/response-chunks.js'

/** A readable standing in for an IncomingMessage: the reader uses only the Readable side of it. */
const body = () => new PassThrough() as PassThrough & IncomingMessage

describe('ResponseChunks', () => {
  it('pauses the response when a slow consumer falls 16 chunks behind, resumes it as it catches up, loses nothing', async () => {
    const response = body()
    let arrivals = 0
    const chunks = new ResponseChunks(response, () => arrivals++)
    for (let i = 0; i < 40; i++) response.write(`c${i};`)
    response.end()
    await new Promise((resolve) => setImmediate(resolve))
    expect(response.isPaused()).toBe(true)
    expect(arrivals).toBeLessThan(40)
    const text = await chunks.text()
    expect(text).toBe(Array.from({length: 40}, (_, i) => `c${i};`).join(''))
    expect(arrivals).toBe(40)
  })

  it('keeps a UTF-8 character split across chunks whole', async () => {
    const response = body()
    const chunks = new ResponseChunks(response)
    const bytes = Buffer.from('a🦞b')
    response.write(bytes.subarray(0, 3))
    response.end(bytes.subarray(3))
    expect(await chunks.text()).toBe('a🦞b')
  })

  it('a body cut short is an ECONNRESET error after the chunks that came', async () => {
    const response = body()
    const chunks = new ResponseChunks(response)
    response.write('partial')
    await new Promise((resolve) => setImmediate(resolve))
    response.destroy()
    expect(await chunks.next()).toBe('partial')
    await expect(chunks.next()).rejects.toMatchObject({code: 'ECONNRESET'})
  })

  it('text(limit) stops at the limit; after detach a late error is not unhandled', async () => {
    const response = body()
    const chunks = new ResponseChunks(response)
    response.write('x'.repeat(100))
    expect(await chunks.text(10)).toBe('x'.repeat(10))
    chunks.detach()
    response.destroy(new Error('late'))
    await new Promise((resolve) => setImmediate(resolve))
  })
})
