import {describe, expect, it} from 'vitest'

import {allowedOrigins} from '../../../src/runtime/gateway/server/listen.js'
import {connectClient, startTestServer} from './harness.js'

describe('binding (protocol §1.1)', () => {
  it('serves HTTP and WebSocket on one port across every given address', async () => {
    const {server} = await startTestServer({hosts: ['127.0.0.1', '127.0.0.2']})
    try {
      expect(server.addresses).toEqual([`127.0.0.1:${server.port}`, `127.0.0.2:${server.port}`])
      for (const host of ['127.0.0.1', '127.0.0.2']) {
        const res = await fetch(`http://${host}:${server.port}/healthz`)
        expect(await res.json()).toEqual({ok: true, status: 'live'})
        const {client, res: hello} = await connectClient(`ws://${host}:${server.port}/`)
        expect(hello.ok).toBe(true)
        expect((await client.request('health')).ok).toBe(true)
        await client.closeAndWait()
      }
    } finally {
      await server.close({drainMs: 200})
    }
  })

  it('fails with GATEWAY_PORT_IN_USE when the port is taken, releasing what it bound', async () => {
    const {server} = await startTestServer()
    try {
      await expect(startTestServer({hosts: ['127.0.0.2', '127.0.0.1'], port: server.port})).rejects.toMatchObject({
        code: 'GATEWAY_PORT_IN_USE', details: {errno: 'EADDRINUSE', host: '127.0.0.1', port: server.port},
      })
      // 127.0.0.2 was bound first and must have been released.
      const again = await startTestServer({hosts: ['127.0.0.2'], port: server.port})
      await again.server.close({drainMs: 100})
    } finally {
      await server.close({drainMs: 200})
    }
  })

  it('fails with GATEWAY_CONFIG for an address this host does not have', async () => {
    await expect(startTestServer({hosts: ['192.0.2.123']})).rejects.toMatchObject({
      code: 'GATEWAY_CONFIG', exitCode: 78, message: '192.0.2.123 is not an address of this host (gateway.customBindHost)',
    })
  })

  it.each([
    [['127.0.0.1'], 18789, [], ['http://127.0.0.1:18789', 'http://localhost:18789']],
    [['127.0.0.1', '::1'], 1, [], ['http://127.0.0.1:1', 'http://[::1]:1', 'http://localhost:1']],
    [['10.0.0.5'], 80, ['HTTPS://UI.example.com/'], ['http://10.0.0.5:80', 'https://ui.example.com']],
  ])('allowedOrigins(%j, %i, %j)', (hosts, port, extra, expected) => {
    expect([...allowedOrigins(hosts, port, extra)].sort()).toEqual([...expected].sort())
  })
})
