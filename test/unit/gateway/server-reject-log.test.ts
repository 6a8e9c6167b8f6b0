/**
 * Issue 6 defect 8 / issue 9 item 9: a brute force leaves a trace. Rejected connects are logged at
 * warn, aggregated per address (count, first/last), and never with the presented secret.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {RejectLog} from '../../../src/runtime/gateway/server/reject-log.js'
import type {GatewayServer} from '../../../src/runtime/gateway/server/server.js'
import {connectClient, connectParams, memoryLogger, startTestServer} from './harness.js'

let server: GatewayServer | undefined
afterEach(async () => {
  await server?.close({drainMs: 200})
  server = undefined
})

describe('rejected connects are logged at warn (issue 6, defect 8)', () => {
  it('25 wrong tokens: one immediate warn, then one aggregated warn with the address and the count, never the token', async () => {
    const started = await startTestServer({rateLimit: {exemptLoopback: false}, rejectLogFlushMs: 60_000})
    server = started.server
    const wrong = 'wrong-token-SECRET-abc123'
    for (let i = 0; i < 25; i++) {
      const {client, res} = await connectClient(started.url, connectParams({auth: {token: wrong}}))
      expect(res.ok).toBe(false)
      await client.closeAndWait()
    }
    // Closing flushes what the interval has not reported yet.
    await started.server.close({drainMs: 200})
    const warns = started.logs.filter((line) => line.level === 'warn')
    expect(warns[0]?.message).toMatch(/^gateway connect rejected from 127\.0\.0\.1: unauthorized: /)
    const aggregate = warns.find((line) => line.fields?.count === 25)
    expect(aggregate?.message).toMatch(/^gateway rejected 25 connects from 127\.0\.0\.1 since \S+ \(last \S+\): /)
    // After 10 failures the address is locked out; the last reason says so.
    expect(aggregate?.fields?.code).toBe('AUTH_RATE_LIMITED')
    expect(JSON.stringify(started.logs)).not.toContain(wrong)
    expect(warns).toHaveLength(2)
  })

  it('forgets quiet addresses and bounds how many it tracks', () => {
    const {logger, lines} = memoryLogger()
    const log = new RejectLog(logger, () => 0, 2)
    log.note('10.0.0.1', 'AUTH_TOKEN_MISMATCH', 'unauthorized: gateway token mismatch')
    log.note('10.0.0.2', 'AUTH_TOKEN_MISMATCH', 'unauthorized: gateway token mismatch')
    log.note('10.0.0.3', 'AUTH_TOKEN_MISMATCH', 'unauthorized: gateway token mismatch')
    log.flush()
    expect(lines.map((l) => l.message)).toEqual([
      'gateway connect rejected from 10.0.0.1: unauthorized: gateway token mismatch',
      'gateway connect rejected from 10.0.0.2: unauthorized: gateway token mismatch',
      'gateway rejected 1 more connects from other addresses (too many addresses to list)',
    ])
    log.flush()
    log.note('10.0.0.3', 'AUTH_TOKEN_MISMATCH', 'unauthorized: gateway token mismatch')
    expect(lines.at(-1)?.message).toBe('gateway connect rejected from 10.0.0.3: unauthorized: gateway token mismatch')
  })
})
