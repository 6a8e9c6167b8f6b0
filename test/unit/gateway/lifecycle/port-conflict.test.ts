import {describe, expect, it} from 'vitest'

import {AppError} from '../../../../src/runtime/errors/app-error.js'
import {listenWithRetry} from '../../../../src/runtime/gateway/lifecycle/port-conflict.js'

const inUse = (port: number) => new AppError('GATEWAY_PORT_IN_USE', `port ${port} is in use by another program; free it or pick another port: openclaw config set gateway.port ${port + 1}`, {details: {errno: 'EADDRINUSE', host: '127.0.0.1', port}})

describe('listenWithRetry (operations.md §3.3)', () => {
  it('a gateway answering /health on the port: exit 78 naming its version', async () => {
    const probed: string[] = []
    const run = listenWithRetry({
      port: 18789,
      bind: () => Promise.reject(inUse(18789)),
      probe: async (host, port) => {
        probed.push(`${host}:${port}`)
        return true
      },
      versionOf: async () => '0.4.0',
    })
    await expect(run).rejects.toMatchObject({code: 'GATEWAY_ALREADY_RUNNING', exitCode: 78, message: 'port 18789 is used by another gateway (openclaw 0.4.0); pick another: openclaw config set gateway.port 18790'})
    expect(probed).toEqual(['127.0.0.1:18789'])
  })

  it('another program: retried every interval until the deadline, then the in-use error (exit 1)', async () => {
    let attempts = 0
    const retries: string[] = []
    const run = listenWithRetry({
      port: 4000,
      bind: () => {
        attempts++
        return Promise.reject(inUse(4000))
      },
      probe: async () => false,
      versionOf: async () => null,
      retryForMs: 200,
      retryEveryMs: 20,
      onRetry: (m) => retries.push(m),
    })
    await expect(run).rejects.toMatchObject({code: 'GATEWAY_PORT_IN_USE', exitCode: 1})
    expect(attempts).toBeGreaterThanOrEqual(5)
    expect(attempts).toBeLessThanOrEqual(12)
    expect(retries).toHaveLength(1)
  })

  it('succeeds once the port frees up', async () => {
    let attempts = 0
    const server = await listenWithRetry({
      port: 4000,
      bind: async () => {
        if (++attempts < 3) throw inUse(4000)
        return 'bound'
      },
      probe: async () => false,
      versionOf: async () => null,
      retryEveryMs: 5,
    })
    expect(server).toBe('bound')
  })

  it('other bind errors are not retried', async () => {
    const notAvail = new AppError('GATEWAY_CONFIG', '10.9.9.9 is not an address of this host (gateway.customBindHost)', {exitCode: 78, details: {errno: 'EADDRNOTAVAIL'}})
    let attempts = 0
    await expect(listenWithRetry({port: 1, bind: () => (attempts++, Promise.reject(notAvail)), probe: async () => true, versionOf: async () => null})).rejects.toBe(notAvail)
    expect(attempts).toBe(1)
  })

  it('an unknown version is left out', async () => {
    const run = listenWithRetry({port: 5, bind: () => Promise.reject(inUse(5)), probe: async () => true, versionOf: async () => Promise.reject(new Error('auth'))})
    await expect(run).rejects.toMatchObject({message: 'port 5 is used by another gateway (openclaw); pick another: openclaw config set gateway.port 6'})
  })
})
