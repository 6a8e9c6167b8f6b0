/**
 * The recorded OpenClaw 2026.9.6 wire frames (test/fixtures/peer-2026.9) and a replay gateway that
 * answers our client with exactly those frames, on 127.0.0.1 port 0: challenge → (optionally the
 * recorded "gateway starting" refusal first) → hello-ok → health/status answers, and for any other
 * method the recorded unknown-method answer (admin) or missing-scope refusal (everyone else), plus
 * the recorded `GET /ready` body. `agent` replays the recorded run (accepted, events, final).
 */
import {readFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import {WebSocketServer, type WebSocket} from 'ws'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Recorded = any

const FIXTURES = new URL('../../fixtures/peer-2026.9/', import.meta.url)

/** A recorded frame (or HTTP body), parsed fresh on every call so tests cannot share mutations. */
export function peerFixture(name: string): Recorded {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'))
}

/** A recorded reference-CLI frame as text, with the redacted token replaced by `token`. */
export function peerFrameText(name: string, token: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8').replaceAll('__TOKEN__', token)
}

/** The secret the replay gateway accepts; anything else gets the recorded token-mismatch refusal. */
export const REPLAY_TOKEN = 'replay-token'

export interface ReplayGateway {
  url: string
  /** Every `connect` request the client sent, in order. */
  connects: Recorded[]
  /** Every request after the handshake. */
  requests: Recorded[]
  close(): Promise<void>
}

/**
 * The recorded `agent` run (gateway-agent-run.json): every frame that connection got after the
 * request, in order (accepted, the run's agent/chat events, unrelated tick/health/task events, the
 * final), with the recorded runId swapped for the request's idempotencyKey (the client matches
 * events by runId) and the request id for this request's.
 */
function replayAgentRun(socket: WebSocket, frame: Recorded): void {
  const run: Recorded[] = peerFixture('gateway-agent-run.json')
  const recordedRunId: string = run.find((f) => f.type === 'res').payload.runId
  for (const recorded of run) socket.send(JSON.stringify(recorded.type === 'res' ? {...recorded, id: frame.id} : recorded).replaceAll(recordedRunId, frame.params.idempotencyKey))
}

/** Starts the replay gateway; with `startingFirst` the first connect gets the recorded UNAVAILABLE and close 1013. */
export async function startReplayGateway(options: {startingFirst?: boolean} = {}): Promise<ReplayGateway> {
  const http = createServer((req, res) => {
    const ready = req.url === '/ready'
    res.writeHead(ready ? 200 : 404, {'content-type': 'application/json', 'cache-control': 'no-store'})
    res.end(JSON.stringify(ready ? peerFixture('gateway-ready.json') : {error: 'not found'}))
  })
  const wss = new WebSocketServer({server: http, perMessageDeflate: false})
  const connects: Recorded[] = []
  const requests: Recorded[] = []
  const answer = (name: string, id: string) => JSON.stringify({...peerFixture(name), id})
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify(peerFixture('gateway-challenge.json')))
    let authed = false
    let admin = false
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString())
      if (!authed) {
        connects.push(frame)
        if (options.startingFirst === true && connects.length === 1) {
          socket.send(answer('gateway-starting.json', frame.id))
          return socket.close(1013, 'gateway starting')
        }
        if (frame.params?.auth?.token !== REPLAY_TOKEN) {
          const refusal = peerFixture('gateway-token-mismatch.json')
          socket.send(JSON.stringify({...refusal, id: frame.id}))
          return socket.close(1008, refusal.error.message)
        }
        authed = true
        admin = (frame.params.scopes ?? []).includes('operator.admin')
        return socket.send(answer('gateway-hello-ok.json', frame.id))
      }
      requests.push(frame)
      if (frame.method === 'health') {
        // The reference pushes a `health` event ahead of the answer; clients must skip it.
        socket.send(JSON.stringify(peerFixture('gateway-health-event.json')))
        return socket.send(answer('gateway-health.json', frame.id))
      }
      if (frame.method === 'status') return socket.send(answer('gateway-status.json', frame.id))
      if (frame.method === 'agent') return replayAgentRun(socket, frame)
      // The reference hides methods it does not advertise from non-admins behind a scope error.
      socket.send(answer(admin ? 'gateway-unknown-method.json' : 'gateway-missing-scope-admin.json', frame.id))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const {port} = http.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}`,
    connects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => http.close(() => resolve()))
      }),
  }
}
