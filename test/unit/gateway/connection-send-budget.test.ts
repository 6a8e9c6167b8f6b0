/**
 * Issue 6, defect 8 (second half): a slow consumer is closed at the policy's 50 MiB of memory,
 * counting what small frames really cost, and many slow consumers share one total budget.
 */
import {describe, expect, it} from 'vitest'
import type {WebSocket} from 'ws'

import {FRAME_OVERHEAD_BYTES, GatewayConnection, SendBudget} from '../../../src/runtime/gateway/server/connection.js'

/** A socket whose peer never reads: every frame stays buffered. */
function stalledSocket() {
  const ws = {
    readyState: 1,
    bufferedAmount: 0,
    closed: undefined as undefined | {code: number; reason: string},
    send(text: string) {
      ws.bufferedAmount += Buffer.byteLength(text)
    },
    close(code: number, reason: string) {
      ws.readyState = 2
      ws.closed = {code, reason}
    },
    terminate() {
      ws.readyState = 3
    },
  }
  return ws
}

/** The TCP side: only corked per tick by the connection. */
const tcpSocket = {cork: () => undefined, uncork: () => undefined}

const peer = {ip: '10.0.0.9', loopback: false, origin: undefined, originAllowed: false}

function sendUntilClosed(conn: GatewayConnection, ws: ReturnType<typeof stalledSocket>, frame: string, max = 1_000_000): number {
  let sent = 0
  while (ws.closed === undefined && sent < max) {
    conn.send(frame)
    sent++
  }
  return sent
}

describe('slow consumer accounting', () => {
  it('closes 1008 "slow consumer" once bytes plus per-frame overhead reach the limit, not 3x later', () => {
    const limit = 1024 * 1024
    const ws = stalledSocket()
    const conn = new GatewayConnection(ws as unknown as WebSocket, tcpSocket as never, peer, 0, limit)
    const frame = JSON.stringify({type: 'event', event: 'tick', payload: {ts: 1}, seq: 1})
    const sent = sendUntilClosed(conn, ws, frame)
    expect(ws.closed).toEqual({code: 1008, reason: 'slow consumer'})
    const perFrame = Buffer.byteLength(frame) + FRAME_OVERHEAD_BYTES
    expect(sent).toBeLessThanOrEqual(Math.ceil(limit / perFrame) + 2)
    // Bytes alone (the old rule) would have allowed several times as many frames.
    expect(sent * 2).toBeLessThan(limit / Buffer.byteLength(frame))
  })

  it('forgets the overhead once the socket drained', () => {
    const limit = 64 * 1024
    const ws = stalledSocket()
    const conn = new GatewayConnection(ws as unknown as WebSocket, tcpSocket as never, peer, 0, limit)
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) conn.send('x'.repeat(100))
      ws.bufferedAmount = 0
    }
    expect(ws.closed).toBeUndefined()
  })

  it.each([
    ['one congested connection gets the whole per-connection limit', 1, 50],
    ['ten share 256 MiB (25.6 MiB each)', 10, 25.6],
    ['a thousand never go below the 4 MiB floor', 1000, 4],
  ])('%s', (_name, congested, expectedMiB) => {
    const budget = new SendBudget(50 * 1024 * 1024)
    const conns = Array.from({length: congested}, () => ({}))
    for (const conn of conns) budget.limitFor(conn, 2 * 1024 * 1024)
    expect(budget.limitFor(conns[0] as object, 2 * 1024 * 1024) / (1024 * 1024)).toBeCloseTo(expectedMiB, 1)
  })
})
