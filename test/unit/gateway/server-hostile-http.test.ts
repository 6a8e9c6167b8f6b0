/**
 * Issue 6, defects 2 and 7: hostile and sloppy HTTP clients. Raw TCP sockets against a real
 * server on port 0: per-address socket budget, short header timeouts, polite 431/400 answers,
 * and absolute-form request targets.
 */
import net from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {clientErrorResponse, HTTP_TIMEOUTS} from '../../../src/runtime/gateway/server/listen.js'
import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {connectClient, startTestServer} from './harness.js'

let server: GatewayServer | undefined
const sockets: net.Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await server?.close({drainMs: 200})
  server = undefined
})

/** Opens a raw socket from `localAddress`; resolves once connected, tracking whether it closed. */
function rawSocket(port: number, localAddress = '127.0.0.1'): Promise<net.Socket & {isClosed: () => boolean; text: () => string}> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({port, host: '127.0.0.1', localAddress})
    sockets.push(socket)
    let closed = false
    let text = ''
    socket.on('data', (chunk) => (text += chunk.toString('latin1')))
    socket.on('close', () => (closed = true))
    socket.on('error', () => undefined)
    socket.once('connect', () => resolve(Object.assign(socket, {isClosed: () => closed, text: () => text})))
    socket.once('error', reject)
  })
}

/** Sends raw bytes and resolves with everything received once the server closes (bounded). */
async function exchange(port: number, request: string | Buffer): Promise<string> {
  const socket = await rawSocket(port)
  socket.write(request)
  const deadline = Date.now() + 3000
  while (!socket.isClosed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  return socket.text()
}

describe('HTTP politeness (issue 6, defect 7)', () => {
  it('answers 431 to a 20 KB header and closes', async () => {
    ;({server} = await startTestServer())
    const reply = await exchange(server.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(reply).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
    expect(reply).toContain('Connection: close')
  })

  it('answers 400 to a malformed request and closes', async () => {
    ;({server} = await startTestServer())
    const reply = await exchange(server.port, 'NOT HTTP AT ALL\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
  })

  it('serves an absolute-form request target: GET http://x/health is 200', async () => {
    ;({server} = await startTestServer())
    const reply = await exchange(server.port, 'GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(reply).toContain('{"ok":true,"status":"live"}')
  })

  it.each([
    ['HPE_HEADER_OVERFLOW', '431'],
    ['ERR_HTTP_REQUEST_TIMEOUT', '408'],
    ['HPE_INVALID_METHOD', '400'],
    ['ECONNRESET', undefined],
  ])('clientError %s answers %s', (code, status) => {
    const response = clientErrorResponse(code)
    if (status === undefined) expect(response).toBeUndefined()
    else expect(response?.startsWith(`HTTP/1.1 ${status} `)).toBe(true)
  })
})

describe('unauthenticated socket budget (issue 6, defect 2)', () => {
  it('keeps header timeouts in seconds, not a minute', () => {
    expect(HTTP_TIMEOUTS.headersTimeout).toBeLessThanOrEqual(10_000)
    expect(HTTP_TIMEOUTS.requestTimeout).toBeLessThanOrEqual(15_000)
  })

  it('200 idle + 50 slowloris sockets from one address: at most 32 stay open, all time out, and a loopback client is served throughout', async () => {
    ;({server} = await startTestServer({httpTimeouts: {headersTimeout: 800, requestTimeout: 1000, connectionsCheckingInterval: 100}}))
    const port = server.port
    const idle = await Promise.all(Array.from({length: 200}, () => rawSocket(port, '127.0.0.2')))
    const slow = await Promise.all(Array.from({length: 50}, () => rawSocket(port, '127.0.0.2')))
    for (const socket of slow) socket.write('GET /health HTTP/1.1\r\nHost: x\r\n')
    const drip = setInterval(() => {
      for (const socket of slow) if (!socket.isClosed()) socket.write('X-Slow: 1\r\n')
    }, 100)
    try {
      const all = [...idle, ...slow]
      const open = () => all.filter((s) => !s.isClosed()).length
      // Over-budget sockets are answered 503 and closed at once.
      const deadline = Date.now() + 3000
      while (open() > 32 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(open()).toBeLessThanOrEqual(32)
      expect(all.some((s) => s.text().startsWith('HTTP/1.1 503 '))).toBe(true)
      // A loopback client from another address connects and is answered meanwhile.
      const {client, res} = await connectClient(`ws://127.0.0.1:${port}/`)
      expect(res.ok).toBe(true)
      expect((await client.request('health')).ok).toBe(true)
      await client.closeAndWait()
      // The header timeout closes the admitted ones, slowloris included.
      const end = Date.now() + 4000
      while (open() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      expect(open()).toBe(0)
    } finally {
      clearInterval(drip)
    }
  }, 15_000)
})
